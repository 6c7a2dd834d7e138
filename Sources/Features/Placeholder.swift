// Features module: placeholder until its first file lands.
enum FeaturesModulePlaceholder {}
