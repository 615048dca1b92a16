/*
 * fuzz_dates.c - libFuzzer target: the date, time and number parsers and
 * the Rule 6(a) computation.  The first bytes choose a period for Rule
 * 6(a) from any date the parser accepts.
 */
#include <stddef.h>
#include <stdint.h>

#include "ordex_p.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    od_date d;
    bool amb = false;
    char hhmm[6];
    int n;
    const char *s = (const char *)data;

    if (size < 2)
        return 0;
    od_time_parse(s + 2, size - 2, hhmm);
    od_number_parse(s + 2, size - 2, &n);
    if (od_date_parse(s + 2, size - 2, &d, &amb)) {
        char *explain = NULL;
        int count = (data[0] % 200) + 1;
        od_period_unit unit = (od_period_unit)(data[1] % 4);
        od_rule6_compute(d, count, unit, (data[1] & 0x80) != 0, &explain);
        g_free(explain);
    }
    return 0;
}
