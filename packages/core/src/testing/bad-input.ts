/**
 * The bad-input suite: public functions fed wrong arguments (fractional dims, NaN sizes, strings,
 * unknown option keys, ragged or non-numeric data, zero divisors ...) must throw PyTorch's error
 * class with a message starting as PyTorch's (or a clear one of Kindling's own where PyTorch's
 * argument parser has no equivalent), and the tensors involved must stay usable. A few cases check
 * PyTorch habits that used to fail (x.T, iterable named tuples, frozen shapes ...).
 * Messages were checked against PyTorch 1.13. Run it on any device:
 *
 * ```ts
 * import { describe, it } from 'vitest';
 * import { badInputSuite } from '@kindling/core/testing';
 * badInputSuite({ device: 'workers', describe, it });
 * ```
 */
import * as torch from '../index.js';
import type { Tensor } from '../tensor.js';
import type { TestFramework } from './kit.js';

type ErrorClass = typeof torch.TypeError | typeof torch.IndexError | typeof torch.RuntimeError | typeof torch.ValueError;

/** Tensors a case works on, made fresh on the device under test for each case. */
export interface BadInputContext {
  /** [[0, 1, 2], [3, 4, 5]], float32. */
  x: Tensor;
  /** A 0 x 3 float32 tensor. */
  e: Tensor;
  /** [1, 2, 3], int64. */
  i: Tensor;
  /** [1, 1, 1], float32, a leaf that requires grad. */
  leaf: Tensor;
  /** [1, 1, 3, 3] ones, an image for conv / pool. */
  img: Tensor;
  /** [1, 1, 2, 2] ones, a conv weight. */
  w: Tensor;
  /** The device name. */
  device: string;
}

/** One bad input: what to run, the error class and how its message starts. */
export interface BadInputCase {
  name: string;
  run: (c: BadInputContext) => unknown;
  error: ErrorClass;
  message: string;
  /**
   * The error is found by a kernel where the values are: a device computing elsewhere may
   * report it on the read with the op's name first, so the message need only contain `message`.
   */
  inKernel?: boolean;
}

const F = torch.F;
const T = torch.TypeError, I = torch.IndexError, R = torch.RuntimeError, V = torch.ValueError;
const VALID_INDICES = 'only integers, slices (`:`), ellipsis (`...`), None and long or byte Variables are valid indices';
/** Casts away static types: these calls are wrong on purpose, as a JavaScript caller may write them. */
const any = <X>(v: X): any => v;

function c(name: string, run: BadInputCase['run'], error: ErrorClass, message: string): BadInputCase {
  return { name, run, error, message };
}

/** A case whose error a kernel finds (see BadInputCase.inKernel). */
function k(name: string, run: BadInputCase['run'], error: ErrorClass, message: string): BadInputCase {
  return { name, run, error, message, inKernel: true };
}

/** Every case; each runs on a fresh context and must throw `error` with a message starting with `message`. */
export const BAD_INPUT_CASES: readonly BadInputCase[] = [
  // ---------------------------------------------------------------- dims
  c('softmax(1.5)', ({ x }) => x.softmax(1.5), T, "softmax(): argument 'dim' must be int, not float"),
  c('logSoftmax(0.5)', ({ x }) => x.logSoftmax(0.5), T, "log_softmax(): argument 'dim' must be int, not float"),
  c("softmax('float16')", ({ x }) => x.softmax(1, any('float16')), T, "softmax(): invalid dtype 'float16'"),
  c('softmax({ dims: 1 })', ({ x }) => x.softmax(any({ dims: 1 })), T, "softmax() got an unexpected keyword argument 'dims' (did you mean dim?)"),
  c('max(NaN)', ({ x }) => x.max(NaN), T, "max(): argument 'dim' must be int, not float"),
  c('min(0.5)', ({ x }) => x.min(0.5), T, "min(): argument 'dim' must be int, not float"),
  c('max(5)', ({ x }) => x.max(5), I, 'Dimension out of range (expected to be in range of [-2, 1], but got 5)'),
  c('logsumexp(0.5)', ({ x }) => x.logsumexp(0.5), T, "logsumexp(): argument 'dim' must be int, not float"),
  c('transpose(0, 0.5)', ({ x }) => x.transpose(0, 0.5), T, "transpose(): argument 'dim1' must be int, not float"),
  c('transpose(0, 2)', ({ x }) => x.transpose(0, 2), I, 'Dimension out of range (expected to be in range of [-2, 1], but got 2)'),
  c('transpose(0)', ({ x }) => any(x).transpose(0), T, "transpose(): argument 'dim1' must be int, not undefined"),
  c('permute(0, 1.5)', ({ x }) => x.permute(0, 1.5), T, "permute(): argument 'dims' must be tuple of ints, but found element of type float at pos 2"),
  c("permute('a', 0)", ({ x }) => x.permute(any('a'), 0), T, "permute(): argument 'dims' must be tuple of ints, but found element of type str at pos 1"),
  c('permute([0], 1)', ({ x }) => x.permute([0], 1), T, "permute(): argument 'dims' must be tuple of ints, but found element of type list"),
  c('permute(0, 0)', ({ x }) => x.permute(0, 0), R, 'permute(): duplicate dims are not allowed.'),
  c('sum(1.5)', ({ x }) => x.sum(1.5), T, "sum(): argument 'dim' must be int, not float"),
  c("sum('1')", ({ x }) => x.sum(any('1')), T, "sum(): argument 'dim' must be int, not str"),
  c('sum(true)', ({ x }) => x.sum(any(true)), T, "sum(): argument 'dim' must be int, not bool"),
  c('sum([0, 1.5])', ({ x }) => x.sum([0, 1.5]), T, "sum(): argument 'dim' must be int, not float"),
  c('sum([0, 0])', ({ x }) => x.sum([0, 0]), R, 'dim 0 appears multiple times in the list of dims'),
  c('sum({ dim: 1.5 })', ({ x }) => x.sum({ dim: 1.5 }), T, "sum(): argument 'dim' must be int, not float"),
  c("sum(0, 'yes')", ({ x }) => x.sum(0, any('yes')), T, "sum(): argument 'keepdim' must be bool, not str"),
  c('sum({ keepDim: true })', ({ x }) => x.sum(any({ dim: 0, keepDim: true })), T, "sum() got an unexpected keyword argument 'keepDim' (did you mean keepdim?)"),
  c("sum({ dtype: 'double' })", ({ x }) => x.sum(any({ dtype: 'double' })), T, "sum(): invalid dtype 'double' (did you mean 'float64'"),
  c('mean(1.5)', ({ x }) => x.mean(1.5), T, "mean(): argument 'dim' must be int, not float"),
  c('prod(1.5)', ({ x }) => x.prod(1.5), T, "prod(): argument 'dim' must be int, not float"),
  c('amax(1.5)', ({ x }) => x.amax(1.5), T, "amax(): argument 'dim' must be int, not float"),
  c('amin([NaN])', ({ x }) => x.amin([NaN]), T, "amin(): argument 'dim' must be int, not float"),
  c('argmax(0.5)', ({ x }) => x.argmax(0.5), T, "argmax(): argument 'dim' must be int, not float"),
  c('argmin(Infinity)', ({ x }) => x.argmin(Infinity), T, "argmin(): argument 'dim' must be int, not float"),
  c('any(0.5)', ({ x }) => x.any(0.5), T, "any(): argument 'dim' must be int, not float"),
  c('all(-3)', ({ x }) => x.all(-3), I, 'Dimension out of range (expected to be in range of [-2, 1], but got -3)'),
  c('var(1.5)', ({ x }) => torch.var(x, 1.5), T, "var(): argument 'dim' must be int, not float"),
  c('std(0.5)', ({ x }) => torch.std(x, 0.5), T, "std(): argument 'dim' must be int, not float"),
  c('var({ unbias: false })', ({ x }) => torch.var(x, { unbias: false }), T, "var() got an unexpected keyword argument 'unbias' (did you mean unbiased?)"),
  c('norm(2, 0.5)', ({ x }) => torch.norm(x, 2, 0.5), T, "norm(): argument 'dim' must be int, not float"),
  c('norm({ keep_dim })', ({ x }) => torch.norm(x, { keep_dim: true }), T, "norm() got an unexpected keyword argument 'keep_dim' (did you mean keepdim?)"),
  c('cumsum(1.5)', ({ x }) => x.cumsum(1.5), T, "cumsum(): argument 'dim' must be int, not float"),
  c('cumprod(0.5)', ({ x }) => x.cumprod(0.5), T, "cumprod(): argument 'dim' must be int, not float"),
  c('cumsum({ axis: 0 })', ({ x }) => x.cumsum(any({ axis: 0 })), T, "cumsum() got an unexpected keyword argument 'axis'"),
  c('cumsum()', ({ x }) => x.cumsum(), R, 'cumsum() missing 1 required positional arguments: "dim"'),
  c('squeeze(0.5)', ({ x }) => x.squeeze(0.5), T, "squeeze(): argument 'dim' must be int, not float"),
  c('unsqueeze(0.5)', ({ x }) => x.unsqueeze(0.5), T, "unsqueeze(): argument 'dim' must be int, not float"),
  c('unsqueeze(3)', ({ x }) => x.unsqueeze(3), I, 'Dimension out of range (expected to be in range of [-3, 2], but got 3)'),
  c('flatten(0.5)', ({ x }) => x.flatten(0.5), T, "flatten(): argument 'start_dim' must be int, not float"),
  c('flatten(0, NaN)', ({ x }) => x.flatten(0, NaN), T, "flatten(): argument 'end_dim' must be int, not float"),
  c('size(0.5)', ({ x }) => x.size(0.5), T, "size(): argument 'dim' must be int, not float"),
  c('size(5)', ({ x }) => x.size(5), I, 'Dimension out of range (expected to be in range of [-2, 1], but got 5)'),
  c("stride('0')", ({ x }) => x.stride(any('0')), T, "stride(): argument 'dim' must be int, not str"),
  c('select(0, 0.5)', ({ x }) => x.select(0, 0.5), T, "select(): argument 'index' must be int, not float"),
  c('select(0.5, 0)', ({ x }) => x.select(0.5, 0), T, "argument 'dim' must be int, not float"),
  c('select(0, 2)', ({ x }) => x.select(0, 2), I, 'select(): index 2 out of range for tensor of size [2, 3] at dimension 0'),
  c('narrow(0, 0.5, 1)', ({ x }) => x.narrow(0, 0.5, 1), T, "narrow(): argument 'start' must be int, not float"),
  c('narrow(0, 0, 1.5)', ({ x }) => x.narrow(0, 0, 1.5), T, "narrow(): argument 'length' must be int, not float"),
  c('narrow(0.5, 0, 1)', ({ x }) => x.narrow(0.5, 0, 1), T, "narrow(): argument 'dim' must be int, not float"),
  c('narrow(0, 0, -1)', ({ x }) => x.narrow(0, 0, -1), R, 'start (0) + length (-1) exceeds dimension size (2).'),
  c('narrow(0, 3, 1)', ({ x }) => x.narrow(0, 3, 1), I, 'start out of range (expected to be in range of [-2, 2], but got 3)'),
  c('gather(0.5)', ({ x, device }) => x.gather(0.5, torch.zeros([2, 3], { dtype: 'int64', device })), T, "argument 'dim' must be int, not float"),
  c('gather(index: number)', ({ x }) => x.gather(0, any(1)), T, "gather(): argument 'index' (position 2) must be Tensor, not int"),
  c('gather({ sparse_grad })', ({ x, device }) => x.gather(0, torch.zeros([2, 3], { dtype: 'int64', device }), any({ sparse_grad: true })), T, "gather() got an unexpected keyword argument 'sparse_grad' (did you mean sparseGrad?)"),
  c('scatter(1.5)', ({ x, device }) => x.scatter(1.5, torch.zeros([2, 3], { dtype: 'int64', device }), 1), T, "argument 'dim' must be int, not float"),
  c("scatter(src: 'a')", ({ x, device }) => x.scatter(0, torch.zeros([2, 3], { dtype: 'int64', device }), any('a')), T, "scatter(): argument 'src' (position 3) must be Tensor, not str"),
  c('scatterAdd(NaN)', ({ x, device }) => x.scatterAdd(NaN, torch.zeros([2, 3], { dtype: 'int64', device }), x), T, "argument 'dim' must be int, not float"),
  c('indexSelect(0.5)', ({ x, i }) => x.indexSelect(0.5, i), T, "argument 'dim' must be int, not float"),
  c('indexAdd(0.5)', ({ x, device }) => x.indexAdd(0.5, torch.tensor([0], { dtype: 'int64', device }), torch.ones([1, 3], { device })), T, "argument 'dim' must be int, not float"),
  c('indexAdd({ aplha })', ({ x, device }) => x.indexAdd(0, torch.tensor([0], { dtype: 'int64', device }), torch.ones([1, 3], { device }), any({ aplha: 2 })), T, "index_add() got an unexpected keyword argument 'aplha' (did you mean alpha?)"),
  c('chunk(1.5)', ({ x }) => x.chunk(1.5), T, "chunk(): argument 'chunks' must be int, not float"),
  c('chunk(0)', ({ x }) => x.chunk(0), R, 'chunk expects `chunks` to be greater than 0, got: 0'),
  c('chunk(2, 0.5)', ({ x }) => x.chunk(2, 0.5), T, "argument 'dim' must be int, not float"),
  c('chunk(2, { dims: 1 })', ({ x }) => x.chunk(2, any({ dims: 1 })), T, "chunk() got an unexpected keyword argument 'dims' (did you mean dim?)"),
  c('unbind(0.5)', ({ x }) => x.unbind(0.5), T, "argument 'dim' must be int, not float"),
  c("unbind('1')", ({ x }) => x.unbind(any('1')), T, "unbind(): argument 'dim' must be int, not str"),
  c('split(1.5)', ({ x }) => x.split(1.5), T, "split(): argument 'split_size' must be int, not float"),
  c('split([1.5, 0.5])', ({ x }) => x.split([1.5, 0.5]), T, "split_with_sizes(): argument 'split_sizes' must be tuple of ints, but found element of type float at pos 1"),
  c("split('2')", ({ x }) => x.split(any('2')), T, "split(): argument 'split_size' must be int or tuple of ints, not str"),
  c('split(0)', ({ x }) => x.split(0), R, 'split_size can only be 0 if dimension size is 0, but got dimension size of 2'),
  c('split(-1)', ({ x }) => x.split(-1), R, 'split expects split_size be non-negative, but got split_size=-1'),
  c('split(1, 0.5)', ({ x }) => x.split(1, 0.5), T, "argument 'dim' must be int, not float"),
  c('repeat(1.5, 1)', ({ x }) => x.repeat(1.5, 1), T, "repeat(): argument 'repeats' must be tuple of ints, but found element of type float at pos 1"),
  c('repeat(-1, 1)', ({ x }) => x.repeat(-1, 1), R, 'Trying to create tensor with negative dimension -2: [-2, 3]'),
  c('repeat(2)', ({ x }) => x.repeat(2), R, 'Number of dimensions of repeat dims can not be smaller than number of dimensions of tensor'),
  c('flip(0.5)', ({ x }) => x.flip(0.5), T, "flip(): argument 'dims' must be tuple of ints, but found element of type float at pos 1"),
  c('flip([0.5])', ({ x }) => x.flip([0.5]), T, "flip(): argument 'dims' must be tuple of ints, but found element of type float at pos 1"),
  c('flip({ dim: 0 })', ({ x }) => x.flip(any({ dim: 0 })), T, "flip() got an unexpected keyword argument 'dim' (did you mean dims?)"),
  c('roll(1.5, 0)', ({ x }) => x.roll(1.5, 0), T, "roll(): argument 'shifts' must be int, not float"),
  c('roll(1, 0.5)', ({ x }) => x.roll(1, 0.5), T, "roll(): argument 'dims' must be int, not float"),
  c('roll(NaN)', ({ x }) => x.roll(NaN), T, "roll(): argument 'shifts' must be int, not float"),
  c('roll([1, 2], [0])', ({ x }) => x.roll([1, 2], [0]), R, 'shifts and dimensions must align. shifts: 2, dims:1'),
  c('tril(0.5)', ({ x }) => x.tril(0.5), T, "tril(): argument 'diagonal' must be int, not float"),
  c("triu('a')", ({ x }) => x.triu(any('a')), T, "triu(): argument 'diagonal' must be int, not str"),
  c('triu({ diag: 1 })', ({ x }) => x.triu(any({ diag: 1 })), T, "triu() got an unexpected keyword argument 'diag' (did you mean diagonal?)"),
  c('stack(dim 0.5)', ({ x }) => torch.stack([x, x], 0.5), T, "argument 'dim' must be int, not float"),
  c('cat(dim 0.5)', ({ x }) => torch.cat([x, x], 0.5), T, "argument 'dim' must be int, not float"),
  c('cat(dim 2)', ({ x }) => torch.cat([x, x], 2), I, 'Dimension out of range (expected to be in range of [-2, 1], but got 2)'),
  // ---------------------------------------------------------------- shapes and sizes
  c('view(2.5, 2)', ({ x }) => x.view(2.5, 2), T, "view(): argument 'size' must be tuple of ints, but found element of type float at pos 1"),
  c("view(2, 'a')", ({ x }) => x.view(2, any('a')), T, "view(): argument 'size' must be tuple of ints, but found element of type str at pos 2"),
  c('view(-2, 3)', ({ x }) => x.view(-2, 3), R, 'invalid shape dimension -2'),
  c('view(-1, -1)', ({ x }) => x.view(-1, -1), R, 'only one dimension can be inferred'),
  c('view(4)', ({ x }) => x.view(4), R, "shape '[4]' is invalid for input of size 6"),
  c('view([NaN])', ({ x }) => x.view([NaN]), T, "view(): argument 'size' must be tuple of ints, but found element of type float at pos 1"),
  c('reshape(1.5, 4)', ({ x }) => x.reshape(1.5, 4), T, "reshape(): argument 'shape' must be tuple of ints, but found element of type float at pos 1"),
  c('reshape([2, Infinity])', ({ x }) => x.reshape([2, Infinity]), T, "reshape(): argument 'shape' must be tuple of ints, but found element of type float at pos 2"),
  c('expand(2, 3.5)', ({ x }) => x.expand(2, 3.5), T, "expand(): argument 'size' must be tuple of ints, but found element of type float at pos 2"),
  c('expand(3)', ({ x }) => x.expand(3), R, 'expand(torch.FloatTensor{[2, 3]}, size=[3]): the number of sizes provided (1) must be greater or equal to the number of dimensions in the tensor (2)'),
  c('zeros(2.5)', () => torch.zeros(2.5), T, "zeros(): argument 'size' must be tuple of ints, but found element of type float at pos 1"),
  c('zeros(-1)', () => torch.zeros(-1), R, 'Trying to create tensor with negative dimension -1: [-1]'),
  c("zeros('a')", () => torch.zeros(any('a')), T, "zeros(): argument 'size' must be tuple of ints, but found element of type str at pos 1"),
  c('zeros(NaN)', () => torch.zeros(NaN), T, "zeros(): argument 'size' must be tuple of ints, but found element of type float at pos 1"),
  c('zeros([2, [3]])', () => torch.zeros(any([2, [3]])), T, "zeros(): argument 'size' must be tuple of ints, but found element of type list at pos 2"),
  c('ones(2, -3)', () => torch.ones(2, -3), R, 'Trying to create tensor with negative dimension -3: [2, -3]'),
  c('empty(1e400)', () => torch.empty(1e400), T, "empty(): argument 'size' must be tuple of ints, but found element of type float at pos 1"),
  c('full([2.5], 1)', () => torch.full([2.5], 1), T, "full(): argument 'size' must be tuple of ints, but found element of type float at pos 1"),
  c("full([2], 'a')", () => torch.full([2], any('a')), T, "full(): argument 'fill_value' (position 2) must be Number, not str"),
  c('rand(1.5)', () => torch.rand(1.5), T, "rand(): argument 'size' must be tuple of ints, but found element of type float at pos 1"),
  c('randn(-1)', () => torch.randn(-1), R, 'Trying to create tensor with negative dimension -1: [-1]'),
  c('randint(0, 5, [1.5])', () => torch.randint(0, 5, [1.5]), T, "randint(): argument 'size' must be tuple of ints, but found element of type float at pos 1"),
  c('randint(0, 5.5, [2])', () => torch.randint(0, 5.5, [2]), T, "randint(): argument 'high' must be int, not float"),
  c('randint(0, 5, [-1])', () => torch.randint(0, 5, [-1]), R, 'Trying to create tensor with negative dimension -1: [-1]'),
  c('randperm(2.5)', () => torch.randperm(2.5), T, "randperm(): argument 'n' must be int, not float"),
  c('randperm(-1)', () => torch.randperm(-1), R, 'Trying to create tensor with negative dimension -1: [-1]'),
  c('arange(NaN)', () => torch.arange(NaN), R, 'unsupported range: 0 -> nan'),
  c('arange(Infinity)', () => torch.arange(Infinity), R, 'unsupported range: 0 -> inf'),
  c("arange('5')", () => torch.arange(any('5')), T, "arange(): argument 'end' (position 1) must be Number, not str"),
  c('arange(0, 5, 0)', () => torch.arange(0, 5, 0), R, 'step must be nonzero'),
  c('arange(0, 5, NaN)', () => torch.arange(0, 5, NaN), R, 'step must be nonzero'),
  c('arange(5, 0)', () => torch.arange(5, 0), R, 'upper bound and larger bound inconsistent with step sign'),
  c('linspace(0, 1, 1.5)', () => torch.linspace(0, 1, 1.5), T, "linspace(): argument 'steps' must be int, not float"),
  c('linspace(0, 1, NaN)', () => torch.linspace(0, 1, NaN), T, "linspace(): argument 'steps' must be int, not float"),
  c('linspace(0, 1, -1)', () => torch.linspace(0, 1, -1), R, 'number of steps must be non-negative'),
  c("linspace('0', 1, 2)", () => torch.linspace(any('0'), 1, 2), T, "linspace(): argument 'start' (position 1) must be Number, not str"),
  c('eye(2.5)', () => torch.eye(2.5), T, "eye(): argument 'n' must be int, not float"),
  c('eye(-1)', () => torch.eye(-1), R, 'n must be greater or equal to 0, got -1'),
  c('eye(2, -1)', () => torch.eye(2, -1), R, 'm must be greater or equal to 0, got -1'),
  c('eye(2, 1.5)', () => torch.eye(2, 1.5), T, "eye(): argument 'm' must be int, not float"),
  // ---------------------------------------------------------------- indexing
  c('index(1.5)', ({ x }) => x.index(1.5), I, `${VALID_INDICES} (got float)`),
  c('index(NaN)', ({ x }) => x.index(NaN), I, `${VALID_INDICES} (got float)`),
  c('index({})', ({ x }) => x.index(any({})), I, `${VALID_INDICES} (got dict)`),
  c('index(undefined)', ({ x }) => x.index(any(undefined)), I, `${VALID_INDICES} (got undefined)`),
  c("index(':', 'a')", ({ x }) => x.index(':', any('a')), I, `${VALID_INDICES} (got str)`),
  c('index([0.5, 2])', ({ x }) => x.index([0.5, 2]), T, 'slice indices must be integers or None or have an __index__ method'),
  c('index([0, 2, 0])', ({ x }) => x.index([0, 2, 0]), V, 'slice step cannot be zero'),
  c('index([0, 2, -1])', ({ x }) => x.index([0, 2, -1]), V, 'step must be greater than zero'),
  c("index('0:2:0')", ({ x }) => x.index('0:2:0'), V, 'slice step cannot be zero'),
  c("index('1.5')", ({ x }) => x.index('1.5'), I, 'invalid index: 1.5'),
  c("index('0:x')", ({ x }) => x.index('0:x'), I, 'invalid index: 0:x'),
  c('index(5)', ({ x }) => x.index(5), I, 'index 5 is out of bounds for dimension 0 with size 2'),
  c('index(0, 5)', ({ x }) => x.index(0, 5), I, 'index 5 is out of bounds for dimension 1 with size 3'),
  c("index(':', 5)", ({ x }) => x.index(':', 5), I, 'index 5 is out of bounds for dimension 1 with size 3'),
  c('index(0, 0, 0)', ({ x }) => x.index(0, 0, 0), I, 'too many indices for tensor of dimension 2'),
  c('index(int64 tensor, 1.5)', ({ x, device }) => x.index(torch.tensor([0], { dtype: 'int64', device }), 1.5), I, `${VALID_INDICES} (got float)`),
  c('setIndex(1.5)', ({ x }) => x.setIndex(1.5, 0), I, `${VALID_INDICES} (got float)`),
  c('setIndex([{}])', ({ x }) => x.setIndex([any({})], 0), I, `${VALID_INDICES} (got dict)`),
  c('setIndex on a leaf', ({ leaf }) => leaf.setIndex(0, 2), R, 'a view of a leaf Variable that requires grad is being used in an in-place operation.'),
  c('setIndex slice on a leaf', ({ leaf }) => leaf.setIndex([[0, 2]], 2), R, 'a view of a leaf Variable that requires grad is being used in an in-place operation.'),
  c("setIndex('...') on a leaf", ({ leaf }) => leaf.setIndex('...', 2), R, 'a leaf Variable that requires grad is being used in an in-place operation.'),
  c('setIndex(mask) on a leaf', ({ leaf, device }) => leaf.setIndex(torch.tensor([true, false, true], { device }), 2), R, 'a leaf Variable that requires grad is being used in an in-place operation.'),
  c('indexPut_ on a leaf', ({ leaf, device }) => leaf.indexPut_([torch.tensor([0], { dtype: 'int64', device })], 2), R, 'a leaf Variable that requires grad is being used in an in-place operation.'),
  c('indexPut({ accumulat })', ({ x, device }) => x.indexPut([torch.tensor([0], { dtype: 'int64', device })], 1, any({ accumulat: true })), T, "index_put() got an unexpected keyword argument 'accumulat' (did you mean accumulate?)"),
  // ---------------------------------------------------------------- torch.tensor data
  c("tensor([1, 'a'])", () => torch.tensor(any([1, 'a'])), T, "new(): invalid data type 'str'"),
  c('tensor([1, null])', () => torch.tensor(any([1, null])), R, 'Could not infer dtype of NoneType'),
  c('tensor([1, {}])', () => torch.tensor(any([1, {}])), R, 'Could not infer dtype of dict'),
  c('tensor([1, undefined])', () => torch.tensor(any([1, undefined])), R, 'Could not infer dtype of undefined'),
  c('tensor([1, , 3]) (a hole)', () => torch.tensor(any(new Array(3).fill(1, 0, 1).fill(3, 2))), R, 'Could not infer dtype of undefined'),
  c('tensor(null)', () => torch.tensor(any(null)), R, 'Could not infer dtype of NoneType'),
  c("tensor('1')", () => torch.tensor(any('1')), T, "new(): invalid data type 'str'"),
  c('tensor([[1, 2], [3]])', () => torch.tensor([[1, 2], [3]]), V, 'expected sequence of length 2 at dim 1 (got 1)'),
  c('tensor([[[1, 2], [3, 4]], [[1, 2], [3]]])', () => torch.tensor([[[1, 2], [3, 4]], [[1, 2], [3]]]), V, 'expected sequence of length 2 at dim 2 (got 1)'),
  c('tensor([[1, 2], 3])', () => torch.tensor([[1, 2], 3]), T, 'not a sequence'),
  c('tensor([1, [2, 3]])', () => torch.tensor([1, [2, 3]]), V, 'expected a number at dim 1 but got a sequence'),
  c('tensor(self-referencing)', () => { const a: unknown[] = [1]; a.push(a); return torch.tensor(any(a)); }, T, 'new(): self-referential lists are incompatible'),
  c('tensor(self-referencing at 0)', () => { const a: unknown[] = []; a.push(a); return torch.tensor(any(a)); }, T, 'new(): self-referential lists are incompatible'),
  c('tensor(deep self-reference)', () => { const a: unknown[] = [[1], [2]]; (a[1] as unknown[])[0] = a; return torch.tensor(any(a)); }, T, 'new(): self-referential lists are incompatible'),
  c('tensor([3e9], int32)', () => torch.tensor([3e9], { dtype: 'int32' }), R, 'value cannot be converted to type int32 without overflow'),
  c('tensor([-3e9], int32)', () => torch.tensor([-3e9], { dtype: 'int32' }), R, 'value cannot be converted to type int32 without overflow'),
  c('tensor([1e19], int64)', () => torch.tensor([1e19], { dtype: 'int64' }), R, 'value cannot be converted to type int64 without overflow'),
  c('tensor([NaN], int64)', () => torch.tensor([NaN], { dtype: 'int64' }), R, 'value cannot be converted to type int64 without overflow'),
  c('tensor([Infinity], int64)', () => torch.tensor([Infinity], { dtype: 'int64' }), R, 'value cannot be converted to type int64 without overflow'),
  c('tensor([NaN], int32)', () => torch.tensor([NaN], { dtype: 'int32' }), R, 'value cannot be converted to type int32 without overflow'),
  c('tensor(Float64Array [NaN], int64)', () => torch.tensor(new Float64Array([NaN]), { dtype: 'int64' }), R, 'value cannot be converted to type int64 without overflow'),
  c('full([1], 3e9, int32)', () => torch.full([1], 3e9, { dtype: 'int32' }), R, 'value cannot be converted to type int without overflow'),
  c('full([1], NaN, int64)', () => torch.full([1], NaN, { dtype: 'int64' }), R, 'value cannot be converted to type int64_t without overflow'),
  c('fullLike(int64, NaN)', ({ i }) => torch.fullLike(i, NaN), R, 'value cannot be converted to type int64_t without overflow'),
  c('fill_(3e9) on int32', ({ device }) => torch.zeros(2, { dtype: 'int32', device }).fill_(3e9), R, 'value cannot be converted to type int without overflow'),
  c("fill_('a')", ({ x }) => x.fill_(any('a')), T, "fill_(): argument 'value' (position 1) must be Number, not str"),
  // ---------------------------------------------------------------- integer division by zero
  k('int64 // 0 (floor)', ({ i }) => i.div(0, { roundingMode: 'floor' }), R, 'ZeroDivisionError'),
  k('int64 / tensor with 0 (trunc)', ({ i, device }) => i.div(torch.tensor([1, 0, 1], { dtype: 'int64', device }), { roundingMode: 'trunc' }), R, 'ZeroDivisionError'),
  k('int32 remainder 0', ({ device }) => torch.tensor([1, 2], { dtype: 'int32', device }).remainder(torch.tensor([0, 1], { dtype: 'int32', device })), R, 'ZeroDivisionError'),
  k('int64 fmod 0', ({ i }) => i.fmod(0), R, 'ZeroDivisionError'),
  k('int64 remainder computed 0', ({ i }) => i.remainder(i.sub(i)), R, 'ZeroDivisionError'),
  c("div({ roundingMode: 'round' })", ({ x }) => x.div(2, any({ roundingMode: 'round' })), R, "div expected rounding_mode to be one of None, 'trunc', or 'floor' but found 'round'"),
  c('div({ rounding_mode })', ({ x }) => x.div(2, any({ rounding_mode: 'floor' })), T, "div() got an unexpected keyword argument 'rounding_mode' (did you mean roundingMode?)"),
  // ---------------------------------------------------------------- options and dtypes
  c('zeros({ requires_grad })', () => torch.zeros(2, any({ requires_grad: true })), T, "zeros() got an unexpected keyword argument 'requires_grad' (did you mean requiresGrad?)"),
  c('tensor({ requires_grad })', () => torch.tensor([1], any({ requires_grad: true })), T, "tensor() got an unexpected keyword argument 'requires_grad' (did you mean requiresGrad?)"),
  c('ones({ dtpye })', () => torch.ones(2, any({ dtpye: 'float64' })), T, "ones() got an unexpected keyword argument 'dtype'".replace("'dtype'", "'dtpye'") + ' (did you mean dtype?)'),
  c('ones({ constructor })', () => torch.ones(2, any(Object.assign(Object.create(null), { constructor: 1 }))), T, "ones() got an unexpected keyword argument 'constructor'"),
  c('full({ toString })', () => torch.full([2], 1, any({ toString: 1 })), T, "full() got an unexpected keyword argument 'toString'"),
  c('arange({ step: 2 })', () => torch.arange(5, any({ step: 2 })), T, "arange() got an unexpected keyword argument 'step'"),
  c('rand({ seed })', () => torch.rand(2, any({ seed: 1 })), T, "rand() got an unexpected keyword argument 'seed'"),
  c('randperm({ generater })', () => torch.randperm(3, any({ generater: null })), T, "randperm() got an unexpected keyword argument 'generater' (did you mean generator?)"),
  c("zeros({ dtype: 'float16' })", () => torch.zeros(2, any({ dtype: 'float16' })), T, "zeros(): invalid dtype 'float16': Kindling supports 'bool', 'int32', 'int64', 'float32', 'float64'"),
  c("zeros({ dtype: 'double' })", () => torch.zeros(2, any({ dtype: 'double' })), T, "zeros(): invalid dtype 'double' (did you mean 'float64', also spelled torch.float64?)"),
  c("tensor({ dtype: 'torch.float64' })", () => torch.tensor([1], any({ dtype: 'torch.float64' })), T, "tensor(): invalid dtype 'torch.float64' (did you mean 'float64'"),
  c('eye({ dtype: 5 })', () => torch.eye(2, any({ dtype: 5 })), T, 'eye(): invalid dtype int'),
  c("to('float16')", ({ x }) => x.to('float16'), T, "to(): invalid dtype 'float16'"),
  c("to('double')", ({ x }) => x.to('double'), T, "to(): invalid dtype 'double' (did you mean 'float64'"),
  c("to('torch.int64')", ({ x }) => x.to('torch.int64'), T, "to(): invalid dtype 'torch.int64' (did you mean 'int64'"),
  c('to(42)', ({ x }) => x.to(any(42)), T, 'to() received an invalid combination of arguments - got (int)'),
  c('to({ dtyp })', ({ x }) => x.to(any({ dtyp: 'float64' })), T, "to() got an unexpected keyword argument 'dtyp' (did you mean dtype?)"),
  c("type('half')", ({ x }) => x.type(any('half')), T, "to(): invalid dtype 'half'"),
  c('add({ alpah })', ({ x }) => x.add(1, any({ alpah: 2 })), T, "add() got an unexpected keyword argument 'alpah' (did you mean alpha?)"),
  c("add({ alpha: 'a' })", ({ x }) => x.add(1, any({ alpha: 'a' })), T, "add(): argument 'alpha' must be Number, not str"),
  c('clamp({ minimum })', ({ x }) => x.clamp(any({ minimum: 0 })), T, "clamp() got an unexpected keyword argument 'minimum'"),
  c('backward({ retain_graph })', ({ leaf }) => leaf.sum().backward(any({ retain_graph: true })), T, "backward() got an unexpected keyword argument 'retain_graph' (did you mean retainGraph?)"),
  c('nonzero({ as_tuple })', ({ x }) => x.nonzero(any({ as_tuple: true })), T, "nonzero() got an unexpected keyword argument 'as_tuple' (did you mean asTuple?)"),
  c('F.relu({ in_place })', ({ x }) => F.relu(x, any({ in_place: true })), T, "relu() got an unexpected keyword argument 'in_place' (did you mean inplace?)"),
  c('F.dropout({ constructor })', ({ x }) => F.dropout(x, any({ constructor: 1 })), T, "dropout() got an unexpected keyword argument 'constructor'"),
  // ---------------------------------------------------------------- operands
  c("add('str')", ({ x }) => x.add(any('str')), T, "add(): argument 'other' (position 1) must be Tensor, not str"),
  c('add(null)', ({ x }) => x.add(any(null)), T, "add(): argument 'other' (position 1) must be Tensor, not NoneType"),
  c('add({})', ({ x }) => x.add(any({})), T, "add(): argument 'other' (position 1) must be Tensor, not dict"),
  c('mul([1, 2, 3])', ({ x }) => x.mul(any([1, 2, 3])), T, "mul(): argument 'other' (position 1) must be Tensor, not list"),
  c("sub('1')", ({ x }) => x.sub(any('1')), T, "sub(): argument 'other' (position 1) must be Tensor, not str"),
  c('div(undefined)', ({ x }) => x.div(any(undefined)), T, "div(): argument 'other' (position 1) must be Tensor, not undefined"),
  c("pow('2')", ({ x }) => x.pow(any('2')), T, "pow(): argument 'exponent' (position 1) must be Tensor, not str"),
  c("eq('a')", ({ x }) => x.eq(any('a')), T, "eq(): argument 'other' (position 1) must be Tensor, not str"),
  c("add_('a')", ({ x }) => x.add_(any('a')), T, "add_(): argument 'other' (position 1) must be Tensor, not str"),
  c("mul_('a')", ({ x }) => x.mul_(any('a')), T, "mul_(): argument 'other' (position 1) must be Tensor, not str"),
  c('copy_(1)', ({ x }) => x.copy_(any(1)), T, "copy_(): argument 'src' (position 1) must be Tensor, not int"),
  c('matmul(1)', ({ x }) => x.matmul(any(1)), T, "matmul(): argument 'other' (position 1) must be Tensor, not int"),
  c('mm([[1]])', ({ x }) => x.mm(any([[1]])), T, "mm(): argument 'mat2' (position 1) must be Tensor, not list"),
  c("where(c, x, 'a')", ({ x }) => torch.where(x.gt(1), x, any('a')), T, "where(): argument 'other' (position 3) must be Tensor, not str"),
  c("clamp('a')", ({ x }) => x.clamp(any('a')), T, "clamp(): argument 'min' (position 1) must be Tensor, not str"),
  c("torch.exp('a')", () => torch.exp(any('a')), T, "exp(): argument 'input' (position 1) must be Tensor, not str"),
  c('torch.sum([1, 2])', () => torch.sum(any([1, 2])), T, "sum(): argument 'input' (position 1) must be Tensor, not list"),
  c('torch.softmax(null, 0)', () => torch.softmax(any(null), 0), T, "softmax(): argument 'input' (position 1) must be Tensor, not NoneType"),
  c('cat(x, x)', ({ x }) => torch.cat(any(x), any(x)), T, "cat(): argument 'tensors' (position 1) must be tuple of Tensors, not Tensor"),
  c('cat([x, 1])', ({ x }) => torch.cat([x, any(1)]), T, 'expected Tensor as element 1 in argument 0, but got int'),
  c('stack(x)', ({ x }) => torch.stack(any(x)), T, "stack(): argument 'tensors' (position 1) must be tuple of Tensors, not Tensor"),
  c('stack([x, null])', ({ x }) => torch.stack([x, any(null)]), T, 'expected Tensor as element 1 in argument 0, but got NoneType'),
  // ---------------------------------------------------------------- empty tensors
  c('max() of an empty tensor', ({ e }) => e.max(), R, "max(): Expected reduction dim to be specified for input.numel() == 0. Specify the reduction dim with the 'dim' argument."),
  c('min() of an empty tensor', ({ e }) => e.min(), R, 'min(): Expected reduction dim to be specified for input.numel() == 0.'),
  c('amax() of an empty tensor', ({ e }) => e.amax(), R, 'amax(): Expected reduction dim to be specified for input.numel() == 0.'),
  c('argmax() of an empty tensor', ({ e }) => e.argmax(), I, 'argmax(): Expected reduction dim to be specified for input.numel() == 0.'),
  c('max(0) of a 0x3 tensor', ({ e }) => e.max(0), I, 'max(): Expected reduction dim 0 to have non-zero size.'),
  c('amax(0) of a 0x3 tensor', ({ e }) => e.amax(0), I, 'amax(): Expected reduction dim 0 to have non-zero size.'),
  c('argmin(0) of a 0x3 tensor', ({ e }) => e.argmin(0), I, 'argmin(): Expected reduction dim 0 to have non-zero size.'),
  // ---------------------------------------------------------------- views of matrices
  c('mT of a vector', ({ device }) => torch.ones(3, { device }).mT, R, 'tensor.mT is only supported on matrices or batches of matrices. Got 1-D tensor.'),
  c('mH of a vector', ({ device }) => torch.ones(3, { device }).mH, R, 'tensor.mH is only supported on matrices or batches of matrices. Got 1-D tensor.'),
  c('H of a vector', ({ device }) => torch.ones(3, { device }).H, R, 'tensor.H is only supported on matrices (2-D tensors). Got 1-D tensor.'),
  c('H of a batch', ({ device }) => torch.ones(2, 3, 4, { device }).H, R, 'tensor.H is only supported on matrices (2-D tensors). Got 3-D tensor. For batches of matrices, consider using tensor.mH'),
  c('x.shape.push(7)', ({ x }) => (x.shape as number[]).push(7), globalThis.TypeError as unknown as ErrorClass, ''),
  c('x.shape[0] = 5', ({ x }) => { (x.shape as number[])[0] = 5; }, globalThis.TypeError as unknown as ErrorClass, ''),
  c('x.strides.pop()', ({ x }) => (x.strides as number[]).pop(), globalThis.TypeError as unknown as ErrorClass, ''),
  // ---------------------------------------------------------------- nn.functional geometry
  c('conv2d padding -1', ({ img, w }) => F.conv2d(img, w, { padding: -1 }), R, 'negative padding is not supported'),
  c('conv2d stride 0', ({ img, w }) => F.conv2d(img, w, { stride: 0 }), R, 'non-positive stride is not supported'),
  c('conv2d stride 1.5', ({ img, w }) => F.conv2d(img, w, { stride: 1.5 }), T, "argument 'stride' must be int, not float"),
  c('conv2d stride [1, NaN]', ({ img, w }) => F.conv2d(img, w, { stride: [1, NaN] }), T, "argument 'stride' must be tuple of ints, but found element of type float at pos 2"),
  c('conv2d dilation 0', ({ img, w }) => F.conv2d(img, w, { dilation: 0 }), R, 'dilation should be greater than zero, but got [0, 0]'),
  c('conv2d groups 0', ({ img, w }) => F.conv2d(img, w, { groups: 0 }), R, 'non-positive groups is not supported'),
  c('conv2d groups 1.5', ({ img, w }) => F.conv2d(img, w, { groups: 1.5 }), T, "conv2d(): argument 'groups' must be int, not float"),
  c('conv2d({ padding_mode })', ({ img, w }) => F.conv2d(img, w, any({ padding_mode: 'zeros' })), T, "conv2d() got an unexpected keyword argument 'padding_mode'"),
  c('conv1d padding -1', ({ device }) => F.conv1d(torch.ones(1, 1, 3, { device }), torch.ones(1, 1, 2, { device }), { padding: -1 }), R, 'negative padding is not supported'),
  c('maxPool2d kernel 0', ({ img }) => F.maxPool2d(img, 0), R, 'stride should not be zero'),
  c('maxPool2d kernel 0 stride 1', ({ img }) => F.maxPool2d(img, 0, 1), R, 'kernel size should be greater than zero, but got kH: 0 kW: 0'),
  c('maxPool2d kernel 1.5', ({ img }) => F.maxPool2d(img, 1.5), T, "argument 'kernel_size' must be int, not float"),
  c('maxPool2d stride 0', ({ img }) => F.maxPool2d(img, 2, 0), R, 'stride should not be zero'),
  c('maxPool2d padding -1', ({ img }) => F.maxPool2d(img, 2, 1, -1), R, 'pad must be non-negative, but got pad: -1'),
  c('maxPool2d dilation 0', ({ img }) => F.maxPool2d(img, 2, 1, 0, 0), R, 'dilation should be greater than zero, but got dilationH: 0 dilationW: 0'),
  c('avgPool2d kernel 0', ({ img }) => F.avgPool2d(img, 0), R, 'stride should not be zero'),
  c('avgPool2d padding -1', ({ img }) => F.avgPool2d(img, 2, 1, -1), R, 'pad must be non-negative, but got pad: -1'),
  c('unfold kernel 0', ({ img }) => F.unfold(img, 0), R, 'kernel size should be greater than zero, but got kernel_height: 0 kernel_width: 0'),
  c('unfold stride 0', ({ img }) => F.unfold(img, 2, { stride: 0 }), R, 'stride should be greater than zero, but got stride_height: 0 stride_width: 0'),
  c('unfold padding -1', ({ img }) => F.unfold(img, 2, { padding: -1 }), R, 'padding should be non-negative, but got pad_height: -1 pad_width: -1'),
  c('layerNorm([3.5])', ({ x }) => F.layerNorm(x, [3.5]), T, "layer_norm(): argument 'normalized_shape' must be tuple of ints, but found element of type float at pos 1"),
  c('mseLoss({ reduce })', ({ x }) => F.mseLoss(x, x, any({ reduce: 'sum' })), T, "mse_loss() got an unexpected keyword argument 'reduce' (did you mean reduction?)"),
  c('nllLoss({ ignoreIndex: 1.5 })', ({ x, device }) => F.nllLoss(x, torch.tensor([0, 1], { dtype: 'int64', device }), { ignoreIndex: 1.5 }), T, "nll_loss(): argument 'ignore_index' must be int, not float"),
  c('crossEntropy({ ignore_index })', ({ x, device }) => F.crossEntropy(x, torch.tensor([0, 1], { dtype: 'int64', device }), any({ ignore_index: 1 })), T, "cross_entropy() got an unexpected keyword argument 'ignore_index' (did you mean ignoreIndex?)"),
  c('embedding({ paddingIdx: 0.5 })', ({ i, device }) => F.embedding(i, torch.ones(4, 2, { device }), { paddingIdx: 0.5 }), T, "embedding(): argument 'padding_idx' must be int, not float"),
  c('addmm({ Beta })', ({ x, device }) => torch.addmm(x, x, torch.ones(3, 3, { device }), any({ Beta: 2 })), T, "addmm() got an unexpected keyword argument 'Beta' (did you mean beta?)"),
  // ---------------------------------------------------------------- custom autograd Functions
  c('Function backward returning a number', ({ leaf }) => {
    class Twice extends torch.autograd.Function {
      static override forward(_ctx: torch.FunctionCtx, t: Tensor): Tensor { return t.mul(2); }
      static override backward(): Tensor { return any(5); }
    }
    Twice.apply(leaf).sum().backward();
  }, R, 'expected Variable or None (got int)'),
  c("Function backward returning 'a'", ({ leaf }) => {
    class Twice extends torch.autograd.Function {
      static override forward(_ctx: torch.FunctionCtx, t: Tensor): Tensor { return t.mul(2); }
      static override backward(): Tensor[] { return any(['a']); }
    }
    Twice.apply(leaf).sum().backward();
  }, R, 'expected Variable or None (got str)'),
];

/** Fresh tensors for one case on `device`. */
export function badInputContext(device: string): BadInputContext {
  return {
    x: torch.arange(6, { dtype: 'float32', device }).reshape(2, 3),
    e: torch.zeros(0, 3, { device }),
    i: torch.tensor([1, 2, 3], { dtype: 'int64', device }),
    leaf: torch.ones(3, { device, requiresGrad: true }),
    img: torch.ones(1, 1, 3, 3, { device }),
    w: torch.ones(1, 1, 2, 2, { device }),
    device,
  };
}

/** Reads every tensor a case returned, so errors found where the values are computed surface too. */
async function settle(v: unknown): Promise<void> {
  if (v instanceof torch.Tensor) await v.data();
  else if (Array.isArray(v)) for (const t of v) await settle(t);
}

/** Throws unless the context's tensors still hold their values and still compute. */
export async function checkUsable(ctx: BadInputContext): Promise<void> {
  const x = ctx.x;
  const values = Array.from(await x.data());
  if (JSON.stringify(values) !== '[0,1,2,3,4,5]' || JSON.stringify(x.shape) !== '[2,3]') {
    throw new Error(`x changed: shape ${JSON.stringify(x.shape)}, values ${JSON.stringify(values)}`);
  }
  const s = Array.from(await x.add(1).sum(1).data());
  if (JSON.stringify(s) !== '[6,15]') throw new Error(`x no longer computes: x.add(1).sum(1) gave ${JSON.stringify(s)}`);
  const l = Array.from(await ctx.leaf.mul(2).data());
  if (JSON.stringify(l) !== '[2,2,2]' || !ctx.leaf.isLeaf) throw new Error('the leaf changed');
}

/** Runs one case: the error class and message start, then the tensors' health. */
export async function runBadInputCase(bad: BadInputCase, device: string): Promise<void> {
  const ctx = badInputContext(device);
  let error: unknown = null;
  try {
    await settle(bad.run(ctx));
  } catch (e) {
    error = e;
  }
  if (error === null) throw new Error(`${bad.name}: no error (expected ${bad.error.name}: ${bad.message})`);
  const err = error as Error;
  if (!(err instanceof bad.error) || (bad.error !== globalThis.TypeError && err.name !== bad.error.name)) {
    throw new Error(`${bad.name}: expected ${bad.error.name}, got ${err.name}: ${err.message}`);
  }
  const ok = bad.inKernel ? err.message.includes(bad.message) : err.message.startsWith(bad.message);
  if (!ok) throw new Error(`${bad.name}: message\n  ${err.message}\ndoes not ${bad.inKernel ? 'contain' : 'start with'}\n  ${bad.message}`);
  await checkUsable(ctx);
}

/** Registers one test per bad-input case (and the PyTorch-habit checks) for `device`. */
export function badInputSuite(options: TestFramework & { device: string }): void {
  const { device, describe, it } = options;
  describe(`bad input: ${device}`, () => {
    for (const bad of BAD_INPUT_CASES) {
      it(bad.name, async () => {
        const previous = torch.getDefaultDevice();
        torch.setDefaultDevice(device); // factories without a device option land on the device under test
        try {
          await runBadInputCase(bad, device);
        } finally {
          torch.setDefaultDevice(previous);
        }
      });
    }
  });
}
