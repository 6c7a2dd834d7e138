// Synthetic module: placeholder until its first file lands.
enum SyntheticModulePlaceholder {}
