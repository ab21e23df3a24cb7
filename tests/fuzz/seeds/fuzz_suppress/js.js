1/* prodlint-ignore budget -- r */ f();
/** prodlint-ignore x
*/
const s = "// prodlint-ignore budget"; // prodlint-ignore: budget
{/* prodlint-ignore guardrail -- jsx */}
