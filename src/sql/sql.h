// The SQL engine (module `sql`, DESIGN.md): parser -> binder -> planner -> exec. Each stage has its
// public header in its sub-folder; this header includes them all. So far: the parser.
#pragma once

#include "sql/parser/parser.h"
