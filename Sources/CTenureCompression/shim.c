// SwiftPM needs a source file in a C target; the libraries' own headers declare everything used.
#include "CTenureCompression.h"
