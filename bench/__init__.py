"""Serving benchmarks: load (30 users at once) and soak (300 in a row), against the app on localhost."""
