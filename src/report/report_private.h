/* The reporter entries, for reporters.c's table only. */
#ifndef PL_REPORT_PRIVATE_H
#define PL_REPORT_PRIVATE_H

#include "report/report.h"

extern const pl_reporter pl_reporter_text;
extern const pl_reporter pl_reporter_json;
extern const pl_reporter pl_reporter_sarif;
extern const pl_reporter pl_reporter_github;
extern const pl_reporter pl_reporter_markdown;

#endif
