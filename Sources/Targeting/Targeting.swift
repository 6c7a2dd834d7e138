// Whom to recall tonight: value, segments, the playbook, ranking and exclusions (placeholder).
