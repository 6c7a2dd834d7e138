// EventLog module: placeholder until its first file lands.
enum EventLogModulePlaceholder {}
