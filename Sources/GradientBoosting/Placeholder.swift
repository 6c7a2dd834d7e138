// GradientBoosting module: placeholder until its first file lands.
enum GradientBoostingModulePlaceholder {}
