// The HTML model report (placeholder).
