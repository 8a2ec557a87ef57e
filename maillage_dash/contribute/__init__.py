"""Contributions from the public: propose an initiative, correct an entry from its card, share a
testimony, ask for one's contact details to be erased. Nothing is published before a reviewer's check
(:mod:`maillage_dash.review`)."""
