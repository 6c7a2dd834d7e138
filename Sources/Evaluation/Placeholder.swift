// Evaluation module: placeholder until its first file lands.
enum EvaluationModulePlaceholder {}
