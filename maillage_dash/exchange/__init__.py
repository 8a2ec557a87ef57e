"""Exchange with other directories and spreadsheets: Open Referral HSDS 3.0 out (JSON, tabular package,
read-only API) and in, and bulk import with a preview of what would change."""
