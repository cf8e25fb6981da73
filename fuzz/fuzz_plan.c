/* fuzz_plan.c — libFuzzer target for the plan loader: any bytes in, a plan or
 * diagnostics out, nothing leaked, nothing read out of bounds. */
#include <stddef.h>
#include <stdint.h>

#include "certboard/plan.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    cb_diags d;
    diags_init(&d);
    cb_plan *p = plan_load_buffer("fuzz.yaml", (const char *)data, size, &d);
    if (p && diags_errors(&d) == 0) {
        /* exercise the lookups on what was built */
        for (int i = 0; i < p->n_members; i++) {
            plan_member(p, p->members[i].id);
            plan_pod_of_member(p, i);
            for (int j = 0; j < p->n_items; j++)
                plan_item_assigned(p, j, i);
        }
        plan_exam_day(p);
        plan_week_of_day(p, p->start + 30);
    }
    plan_free(p);
    diags_free(&d);
    return 0;
}
