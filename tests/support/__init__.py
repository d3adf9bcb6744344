"""Helpers shared by the tests and benchmarks, imported as ``from tests.support.<module> import …``.

blogs: crawl a loopback blog in its own process, or archive a generated blog as a crawl would.
archive_builder: sample and scratch archives built straight into the database.
offline: the blog spider, pipeline and middlewares driven in-process, with no server.
postgres: the test PostgreSQL server and a fresh schema per test.
workers: crawl-worker processes and archive snapshots.
fault_server, requisite_site: loopback servers that misbehave or serve page requisites.
engine_matrix: pages built by real blog engines, with their truth files.
pywb_replay: replays a WACZ in pywb, run as a script in its own process.
"""
