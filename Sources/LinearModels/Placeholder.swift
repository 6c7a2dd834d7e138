// LinearModels module: placeholder until its first file lands.
enum LinearModelsModulePlaceholder {}
