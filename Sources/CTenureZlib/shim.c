#include "CTenureZlib.h"
