// Signup-cohort retention (placeholder).
