"""The Wahl-O-Mat's generated task files cover exactly the elections of the source."""

from opinionbench.tasks.wahl_o_mat import configs


def test_the_generated_elections_are_the_configs_of_the_build(wahl_o_mat_build):
    assert sorted(configs.ELECTIONS) == sorted(wahl_o_mat_build.configs)
    assert configs.DEFAULT_ELECTION == wahl_o_mat_build.default_config
