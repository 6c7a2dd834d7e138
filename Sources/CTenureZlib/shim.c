#include "CTenureZlib.h"
#include <malloc.h>
void tenure_set_mmap_threshold(int bytes) { mallopt(M_MMAP_THRESHOLD, bytes); }
