// ModelFormat module: placeholder until its first file lands.
enum ModelFormatModulePlaceholder {}
