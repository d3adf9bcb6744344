"""``python -m crawler.cli`` runs the civic-archive command line."""

from crawler.cli import main

main()
