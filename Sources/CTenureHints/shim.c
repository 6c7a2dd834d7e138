#include "CTenureHints.h"
