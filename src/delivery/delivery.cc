#include "delivery/delivery.h"
