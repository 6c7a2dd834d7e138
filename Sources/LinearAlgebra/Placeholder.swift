// LinearAlgebra module: placeholder until its first file lands.
enum LinearAlgebraModulePlaceholder {}
