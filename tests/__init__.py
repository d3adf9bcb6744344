"""The test suite; a package so that `python -m tests.benchmarks.…` finds this one, not a
`tests` package that another distribution (pywb) installs into site-packages."""
