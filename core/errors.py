"""The one exception type users see: a message that says what is wrong and where."""


class OpinionBenchError(Exception):
    """A problem with the user's input or environment, explained in its message.

    The command line prints the message (never a traceback) and exits with status 2.
    """
