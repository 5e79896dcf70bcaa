"""Leaderboard: results ingestion, report tables, plots and the static site."""
