#include "CTenurePQ.h"
