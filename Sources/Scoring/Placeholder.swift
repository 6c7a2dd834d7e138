// Scoring module: placeholder until its first file lands.
enum ScoringModulePlaceholder {}
