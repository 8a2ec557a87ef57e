"""Review (coordinators, behind a login): the queue of submissions, publishing, merging and refusing
them; editing an entry with a version check; confirming or ending a service; every entry's history
with restore; the freshness work list; accounts made from the command line."""
