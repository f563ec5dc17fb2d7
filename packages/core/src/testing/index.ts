/**
 * @kindling/core/testing: gradcheck / gradgradcheck, the conformance corpus runner and the
 * backend test kit. Pure TypeScript with no test-framework or Node dependency: callers pass in
 * their describe / it and the fixture text.
 */
export { gradcheck, gradgradcheck, outputsOf, type GradcheckFn, type GradcheckOptions, type GradcheckOutput, type GradgradcheckOptions } from './gradcheck.js';
export {
  loadCorpus, runCorpusCase, prepareCase, summarize, compareTensor, tensorFromJson, decodeValue, camelCase, kindlingOpName,
  type PreparedCase, type PrepareOptions,
  type CorpusCase, type CaseResult, type CorpusSummary, type RunCaseOptions, type TensorJson, type TensorArg, type ArgJson,
} from './corpus.js';
export { backendTestKit, type BackendTestKitOptions, type TestFramework, type TestContext } from './kit.js';
export {
  checkFill, checkCopy, checkUnary, checkBinary, checkWhere, checkReduce, checkBlockedReduce, checkMatmul, checkGather, checkScatter,
  checkIndexSelect, checkIndexAdd, checkCumulative, checkUnfold, checkSort, checkSoftmax, checkReads, backendFamilies,
  UNARY_REFERENCE, BINARY_REFERENCE, type Layout,
} from './backend-checks.js';
export { parsePyJson, PyFloat, type PyJson } from './pyjson.js';
export { badInputSuite, runBadInputCase, badInputContext, checkUsable, BAD_INPUT_CASES, type BadInputCase, type BadInputContext } from './bad-input.js';
export { referenceCorpus } from './reference-corpus.js';
