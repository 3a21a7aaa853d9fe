// The SQL engine (module `sql`, DESIGN.md): parser -> binder -> planner (logical plan, optimizer)
// -> exec (vectorized operators), with functions/ for scalar and aggregate functions. Each stage
// has its public header in its sub-folder; QueryEngine (query_engine.h) runs them all.
#pragma once

#include "sql/binder/binder.h"
#include "sql/exec/expression_evaluator.h"
#include "sql/exec/physical_planner.h"
#include "sql/functions/functions.h"
#include "sql/parser/parser.h"
#include "sql/planner/optimizer.h"
#include "sql/query_engine.h"
