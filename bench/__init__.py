"""Benchmarks that print figures, each `python -m bench.NAME`: against the app on localhost, load (30 and 100
users at once), soak (300 in a row), hostile (the worst requests we know of); recognise (does the gated model draw
the garment asked), uploads (do uploaded test images give their training levels), engine (the page's engine's
speed in node and Chromium). floor and server are their helpers."""
