/**
 * Generates docs/API.md, the API reference, from the TSDoc of the public surface:
 * the exports of @kindling/core (src/index.ts, including the `F` namespace and the `autograd` /
 * `nn` objects), every public member of the Tensor class (with the methods the ops install by
 * declaration merging) and of the other exported classes, @kindling/core/testing and
 * @kindling/backend-workers.
 *
 * Each table row shows the Kindling name, the PyTorch name, the signature as written in the
 * source, the first sentence of the TSDoc and the differences from PyTorch, which come from
 * `@remarks Differs from PyTorch: ...` in the TSDoc (so they live next to the code).
 *
 *   node packages/core/scripts/api-reference.mjs           writes docs/API.md
 *   node packages/core/scripts/api-reference.mjs --check   fails if it is stale or a doc is missing
 *
 * test/api-docs.test.ts runs the same check. Plain ESM JavaScript over the TypeScript compiler
 * API, so it runs without a build step.
 */
import ts from 'typescript';
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
/** The repository root (this file is packages/core/scripts/api-reference.mjs). */
export const repoRoot = resolve(here, '../../..');
/** Where the reference is written, relative to the repository root. */
export const outputPath = 'docs/API.md';

const ENTRIES = [
  { key: 'core', file: 'packages/core/src/index.ts', prefix: 'torch.' },
  { key: 'testing', file: 'packages/core/src/testing/index.ts', prefix: '' },
  { key: 'workers', file: 'packages/backend-workers/src/index.ts', prefix: '' },
];

/** Section order and the sentence under each heading. */
const GROUPS = [
  ['Tensor', 'The Tensor class: its attributes and how to read its values.'],
  ['Creation', ''],
  ['Pointwise', 'Elementwise math, comparisons and logic, with broadcasting and PyTorch\'s type promotion.'],
  ['Reductions', 'Reductions (any dims, `keepdim`), scans and softmax.'],
  ['Sorting & searching', 'Sorting and selection along a dim (results are `{ values, indices }`), searching sorted sequences, counting and unique values.'],
  ['Linear algebra', ''],
  ['Shape & indexing', 'Shape ops (copies unless noted) and indexing; `index` / `setIndex` stand in for `x[...]` and `x[...] = v`.'],
  ['Views', 'These share storage with their input, as in PyTorch.'],
  ['In-place', 'Ops ending in `_` modify their input and return it; the version counter catches saved tensors modified before backward. Writing into a view with autograd rebases the base\'s history with CopySlices, as PyTorch does; other views of that base taken before the write keep their old history (PyTorch regenerates theirs).'],
  ['Dtypes & conversion', ''],
  ['Autograd', ''],
  ['nn.functional', 'Under `torch.nn.functional`, also exported as `F` (`import { F } from \'@kindling/core\'`).'],
  ['nn', 'Modules, layers, losses, `nn.init` and `nn.utils` (`new nn.Linear(784, 256)`); calling a module is `module.forward(x)`, which runs its hooks.'],
  ['optim', 'Optimizers and `optim.lrScheduler`, with PyTorch 1.13\'s updates and state-dict layout.'],
  ['data', 'Under `torch.utils.data`: datasets and the DataLoader (PyTorch\'s shuffle order for the same seed).'],
  ['Random', 'Bit-exact with PyTorch\'s CPU generator (mt19937) for the same seed.'],
  ['Devices & backends', ''],
  ['Saving & loading', "`torch.save` / `torch.load` in PyTorch's own zip + pickle format (Python's torch.load reads it) and safetensors, on bytes; file paths through `@kindling/core/node`."],
  ['Memory', 'Storage lives in one WebAssembly.Memory run as a cache of hot storage: a plain loop stays bounded without help; `dispose` and `tidy` recycle at once.'],
  ['Printing', ''],
  ['Errors', 'Error classes named like Python\'s; messages start with PyTorch\'s first line.'],
  ['Testing (`@kindling/core/testing`)', ''],
  ['Workers backend (`@kindling/backend-workers`)', ''],
];

/** Default group of a declaration by its source file (relative to packages/). */
const FILE_GROUPS = [
  [/^core\/src\/ops\/creation\.ts$/, 'Creation'],
  [/^core\/src\/ops\/pointwise(-extra)?\.ts$/, 'Pointwise'],
  [/^core\/src\/ops\/(reduce|reduce-extra|cumulative|softmax)\.ts$/, 'Reductions'],
  [/^core\/src\/ops\/(sort|search)\.ts$/, 'Sorting & searching'],
  [/^core\/src\/ops\/scans\.ts$/, 'Reductions'],
  [/^core\/src\/ops\/float-checks\.ts$/, 'Pointwise'],
  [/^core\/src\/ops\/random-extra\.ts$/, 'Random'],
  [/^core\/src\/ops\/linalg\.ts$/, 'Linear algebra'],
  [/^core\/src\/ops\/matrix\.ts$/, 'Linear algebra'],
  [/^core\/src\/ops\/scatter-reduce\.ts$/, 'Shape & indexing'],
  [/^core\/src\/ops\/inplace-extra\.ts$/, 'Pointwise'],
  [/^core\/src\/ops\/(shape|indexing)\.ts$/, 'Shape & indexing'],
  [/^core\/src\/ops\/views\.ts$/, 'Views'],
  [/^core\/src\/ops\/inplace\.ts$/, 'In-place'],
  [/^core\/src\/ops\/convert\.ts$/, 'Dtypes & conversion'],
  [/^core\/src\/dtype\.ts$/, 'Dtypes & conversion'],
  [/^core\/src\/autograd\//, 'Autograd'],
  [/^core\/src\/nn\/(module|init|utils|index)\.ts$|^core\/src\/nn\/modules\//, 'nn'],
  [/^core\/src\/optim\//, 'optim'],
  [/^core\/src\/(data\/|utils\.ts$)/, 'data'],
  [/^core\/src\/nn\//, 'nn.functional'],
  [/^core\/src\/(ops\/random\.ts|random\/)/, 'Random'],
  [/^core\/src\/backend\//, 'Devices & backends'],
  [/^core\/src\/memory\//, 'Memory'],
  [/^core\/src\/serialization\//, 'Saving & loading'],
  [/^core\/src\/printing\//, 'Printing'],
  [/^core\/src\/errors\.ts$/, 'Errors'],
  [/^core\/src\/args\.ts$/, 'Errors'],
  [/^core\/src\/tensor\.ts$/, 'Tensor'],
];

/** Groups that do not follow from the file (Tensor members and methods declared in ops/methods*.ts). */
const NAME_GROUPS = {
  'torch.addmm': 'Linear algebra', 'torch.outer': 'Linear algebra', 'torch.ger': 'Linear algebra',
  'torch.index': 'Shape & indexing', 'torch.AddmmOptions': 'Linear algebra', 'torch.to': 'Dtypes & conversion', 'torch.softmax': 'Reductions',
  'Tensor.expandAs': 'Views', 'Tensor.float': 'Dtypes & conversion', 'Tensor.double': 'Dtypes & conversion',
  'Tensor.long': 'Dtypes & conversion', 'Tensor.int': 'Dtypes & conversion', 'Tensor.bool': 'Dtypes & conversion',
  'Tensor.type': 'Dtypes & conversion', 'Tensor.isFloatingPoint': 'Dtypes & conversion', 'Tensor.dtype': 'Dtypes & conversion',
  'Tensor.requiresGrad': 'Autograd', 'Tensor.requiresGrad_': 'Autograd', 'Tensor.gradFn': 'Autograd',
  'Tensor.isLeaf': 'Autograd', 'Tensor.grad': 'Autograd', 'Tensor.retainsGrad': 'Autograd', 'Tensor.retainGrad': 'Autograd',
  'Tensor.registerHook': 'Autograd', 'Tensor.backward': 'Autograd', 'Tensor.detach': 'Autograd', 'Tensor.detach_': 'Autograd',
  'Tensor.device': 'Devices & backends', 'Tensor.backend': 'Devices & backends', 'Tensor.storage': 'Devices & backends',
  'Tensor.toString': 'Printing', 'torch.autograd': 'Autograd', 'torch.nn': 'nn', 'torch.optim': 'optim', 'torch.utils': 'data', 'torch.F': 'nn.functional',
  'Tensor.T': 'Views', 'Tensor.mT': 'Views', 'Tensor.H': 'Views', 'Tensor.mH': 'Views',
  'Tensor.fill_': 'In-place', 'Tensor.zero_': 'In-place', 'Tensor.copy_': 'In-place',
  'Tensor.normal_': 'Random', 'Tensor.uniform_': 'Random', 'Tensor.bernoulli_': 'Random', 'Tensor.bernoulli': 'Random',
  'torch.diagonal': 'Views', 'torch.DiagonalDimsOptions': 'Views', 'torch.rot90': 'Shape & indexing', 'torch.Rot90Options': 'Shape & indexing',
  'Tensor.newZeros': 'Creation', 'Tensor.newOnes': 'Creation', 'Tensor.newFull': 'Creation', 'Tensor.newEmpty': 'Creation',
  'Tensor.newTensor': 'Creation',
};

/**
 * PyTorch names that do not follow from snake-casing the Kindling name ('' when PyTorch has no
 * counterpart). Keys are Kindling names as shown in the table.
 */
const PYTORCH_NAMES = {
  'torch.Tensor': 'torch.Tensor', 'torch.checkOptions': '', 'torch.ValuesIndices': 'torch.return_types', 'torch.F': 'torch.nn.functional', 'torch.nn': 'torch.nn',
  'torch.isFloating': 'torch.is_floating_point', 'torch.setPrintOptions': 'torch.set_printoptions',
  'torch.var': 'torch.var', 'torch.index': 'Tensor.__getitem__', 'torch.setIndex': 'Tensor.__setitem__',
  'torch.to': 'Tensor.to', 'torch.Node': 'torch.autograd.graph.Node', 'torch.Function': 'torch.autograd.Function',
  'torch.FunctionCtx': 'torch.autograd.function.FunctionCtx', 'torch.Generator': 'torch.Generator',
  'torch.RuntimeError': 'RuntimeError', 'torch.IndexError': 'IndexError', 'torch.ValueError': 'ValueError',
  'torch.TypeError': 'TypeError', 'torch.NotSupportedError': '', 'torch.registerBackend': '', 'torch.unregisterBackend': '',
  'torch.getBackend': '', 'torch.listDevices': '', 'torch.setDefaultDevice': 'torch.set_default_device',
  'torch.getDefaultDevice': 'torch.get_default_device', 'torch.autograd.grad': 'torch.autograd.grad',
  'torch.autograd.Function': 'torch.autograd.Function', 'torch.indexPut': 'torch.index_put', 'torch.indexPut_': 'torch.index_put_',
'torch.clamp_': 'torch.clamp_', 'torch.clip_': 'torch.clip_',
  'torch.clampMin_': 'torch.clamp_min_', 'torch.clampMax_': 'torch.clamp_max_', 'torch.maskedFill': 'torch.masked_fill',
  'F.binaryCrossEntropyWithLogits': 'torch.nn.functional.binary_cross_entropy_with_logits',
  'Tensor.index': 'Tensor.__getitem__', 'Tensor.setIndex': 'Tensor.__setitem__', 'Tensor.toString': 'Tensor.__repr__',
  'Tensor.dataSync': 'Tensor.numpy', 'Tensor.data': 'Tensor.numpy', 'Tensor.itemSync': 'Tensor.item',
  'Tensor.tolistSync': 'Tensor.tolist', 'Tensor.ready': '', 'Tensor.backend': '', 'Tensor.storage': 'Tensor.untyped_storage',
  'Tensor.strides': 'Tensor.stride', 'Tensor.offset': 'Tensor.storage_offset', 'Tensor.shape': 'Tensor.shape',
  'torch.silu': 'torch.nn.functional.silu', 'Tensor.silu': 'torch.nn.functional.silu',
  'torch.gelu': 'torch.nn.functional.gelu', 'Tensor.gelu': 'torch.nn.functional.gelu',
  'gradcheck': 'torch.autograd.gradcheck', 'gradgradcheck': 'torch.autograd.gradgradcheck',
  'Node.name': 'Node.name', 'Node.nextFunctions': 'Node.next_functions', 'Node.toString': 'repr(Node)',
  'Function.forward': 'Function.forward', 'Function.backward': 'Function.backward', 'Function.apply': 'Function.apply',
  'FunctionCtx.saveForBackward': 'ctx.save_for_backward', 'FunctionCtx.savedTensors': 'ctx.saved_tensors',
  'FunctionCtx.needsInputGrad': 'ctx.needs_input_grad', 'FunctionCtx.setMaterializeGrads': 'ctx.set_materialize_grads',
  'Generator.manualSeed': 'Generator.manual_seed', 'Generator.initialSeed': 'Generator.initial_seed',
  'Generator.getState': 'Generator.get_state', 'Generator.setState': 'Generator.set_state', 'Generator.seed': 'Generator.seed',
};

/** Ops PyTorch has only as Tensor methods (Kindling also exports them as functions). */
const TENSOR_ONLY = new Set([
  'view', 'expand', 'contiguous', 'repeat', 'to', 'scatter_', 'scatterAdd_', 'indexAdd_', 'maskedFill_', 'type',
]);

/** camelCase to snake_case, keeping a trailing underscore: indexAdd_ -> index_add_. */
function snake(name) {
  return name.replace(/([a-z0-9])([A-Z])/g, '$1_$2').replace(/([A-Z])([A-Z][a-z])/g, '$1_$2').toLowerCase();
}

function pytorchName(row) {
  if (row.display in PYTORCH_NAMES) return PYTORCH_NAMES[row.display];
  if (row.display.startsWith('torch.') && TENSOR_ONLY.has(row.display.slice(6))) return `Tensor.${snake(row.display.slice(6))}`;
  if (row.kind === 'type' || row.kind === 'interface') return '';
  if (row.scope === 'testing' || row.scope === 'workers') return '';
  const [head, ...rest] = row.display.split('.');
  const tail = rest.join('.');
  if (head === 'Tensor') return `Tensor.${snake(tail)}`;
  if (head === 'F') return `torch.nn.functional.${snake(tail)}`;
  if (head === 'torch') return `torch.${snake(tail)}`;
  // nn / optim / utils.data: classes keep their names, functions and members are snake-cased.
  const NAMESPACES = { nn: 'torch.nn', optim: 'torch.optim', utils: 'torch.utils' };
  if (head in NAMESPACES) {
    const parts = rest.map((p) => (p === 'lrScheduler' ? 'lr_scheduler' : /^[A-Z]/.test(p) ? p : snake(p)));
    return [NAMESPACES[head], ...parts].join('.');
  }
  // Members of other classes are in PYTORCH_NAMES when PyTorch has them.
  return '';
}

// ------------------------------------------------------------------------------------ TSDoc

function commentText(comment) {
  if (comment === undefined) return '';
  if (typeof comment === 'string') return comment;
  return comment.map((part) => {
    if (part.kind === ts.SyntaxKind.JSDocText) return part.text;
    // {@link Generator.manualSeed} reads as `Generator.manualSeed` (or its display text).
    if (ts.isJSDocLink(part) || ts.isJSDocLinkCode(part) || ts.isJSDocLinkPlain(part)) {
      return part.text.trim() ? part.text.trim() : `\`${part.name?.getText() ?? ''}\``;
    }
    return part.getText();
  }).join('');
}

/** The JSDoc blocks attached to a declaration (for `export { F }`, the export statement's). */
function jsDocs(node) {
  let target = node;
  if (ts.isExportSpecifier(node)) target = node.parent.parent;
  if (ts.isVariableDeclaration(node)) target = node.parent.parent;
  return (target.jsDoc ?? []).filter((d) => d.kind === ts.SyntaxKind.JSDoc);
}

/** { summary, notes, internal } of the last JSDoc block on a declaration. */
function docOf(node) {
  const docs = jsDocs(node);
  if (docs.length === 0) return null;
  const doc = docs[docs.length - 1];
  const summary = commentText(doc.comment).trim();
  const notes = [];
  let internal = false;
  for (const tag of doc.tags ?? []) {
    const name = tag.tagName.text;
    if (name === 'internal') internal = true;
    if (name === 'remarks') {
      const text = commentText(tag.comment).trim();
      const m = /^Differs from PyTorch:\s*([\s\S]*)$/.exec(text);
      if (m) notes.push(m[1].trim());
    }
  }
  return { summary, notes, internal };
}

/** The first sentence: up to a '.' followed by whitespace, outside backticks and abbreviations. */
export function firstSentence(text) {
  // The first paragraph, up to any list.
  const flat = text.split(/\n\s*\n|\n\s*[-*] /)[0].replace(/\s+/g, ' ').trim();
  let inCode = false;
  for (let i = 0; i < flat.length; i++) {
    const c = flat[i];
    if (c === '`') inCode = !inCode;
    if (inCode || c !== '.' || (i + 1 < flat.length && flat[i + 1] !== ' ')) continue;
    const before = flat.slice(Math.max(0, i - 4), i + 1);
    if (/(e\.g|i\.e|etc|vs)\.$/.test(before)) continue;
    return flat.slice(0, i + 1);
  }
  return flat;
}

// ------------------------------------------------------------------------------- signatures

function oneLine(text) {
  return text.replace(/\s+/g, ' ').replace(/\( /g, '(').replace(/ \)/g, ')').replace(/,\s*\)/g, ')').trim();
}

/** The checker of the program being read (parameter types without annotations come from it). */
let activeChecker = null;

function paramsText(params) {
  return params
    .filter((p) => !(ts.isIdentifier(p.name) && p.name.text === 'this'))
    .map((p) => {
      const name = (p.dotDotDotToken ? '...' : '') + p.name.getText();
      const optional = p.questionToken || p.initializer ? '?' : '';
      if (p.type) return `${name}${optional}: ${p.type.getText()}`;
      const inferred = activeChecker ? activeChecker.typeToString(activeChecker.getTypeAtLocation(p)) : '';
      return inferred ? `${name}${optional}: ${inferred}` : `${name}${optional}`;
    })
    .join(', ');
}

function callText(name, node) {
  const typeParams = node.typeParameters ? `<${node.typeParameters.map((t) => t.getText()).join(', ')}>` : '';
  const ret = node.type ? ` → ${node.type.getText()}` : '';
  return oneLine(`${name}${typeParams}(${paramsText(node.parameters)})${ret}`);
}

/** The signature(s) of a declaration as written: overloads one by one, without implementations. */
function signatureOf(decls, name, checker) {
  const callable = decls.filter((d) => ts.isFunctionDeclaration(d) || ts.isMethodDeclaration(d) || ts.isMethodSignature(d));
  if (callable.length > 0) {
    const overloads = callable.filter((d) => !d.body);
    return (overloads.length > 0 ? overloads : callable).map((d) => callText(name, d));
  }
  const d = decls.find(ts.isClassDeclaration) ?? decls[0];
  if (ts.isGetAccessorDeclaration(d) || ts.isSetAccessorDeclaration(d)) {
    const getter = decls.find(ts.isGetAccessorDeclaration);
    const type = getter?.type?.getText() ?? decls[0].parameters?.[0]?.type?.getText() ?? '';
    const readonly = decls.some(ts.isSetAccessorDeclaration) ? '' : ' (read-only)';
    return [oneLine(`${name}: ${type}${readonly}`)];
  }
  if (ts.isPropertySignature(d) || ts.isPropertyDeclaration(d) || ts.isParameter(d)) {
    if (d.type && ts.isFunctionTypeNode(d.type)) return [callText(name, d.type)];
    const type = d.type ? d.type.getText() : checker.typeToString(checker.getTypeAtLocation(d));
    // A method typed with a local alias (`neg: Unary`): show the alias's call signature.
    if (d.type && ts.isTypeReferenceNode(d.type)) {
      const sig = checker.getTypeAtLocation(d).getCallSignatures()[0];
      if (sig?.declaration && ts.isFunctionTypeNode(sig.declaration)) return [callText(name, sig.declaration)];
    }
    const readonly = d.modifiers?.some((m) => m.kind === ts.SyntaxKind.ReadonlyKeyword) ? ' (read-only)' : '';
    return [oneLine(`${name}: ${type}${readonly}`)];
  }
  if (ts.isClassDeclaration(d)) {
    const ctor = d.members.find((m) => ts.isConstructorDeclaration(m) && !docOf(m)?.internal);
    const abstract = d.modifiers?.some((m) => m.kind === ts.SyntaxKind.AbstractKeyword) ? 'abstract ' : '';
    return [ctor ? oneLine(`new ${name}(${paramsText(ctor.parameters)})`) : `${abstract}class ${name}`];
  }
  if (ts.isInterfaceDeclaration(d)) return [`interface ${name}`];
  if (ts.isTypeAliasDeclaration(d)) {
    const text = oneLine(d.type.getText());
    return [text.length <= 90 ? `type ${name} = ${text}` : `type ${name}`];
  }
  if (ts.isVariableDeclaration(d)) {
    const init = d.initializer;
    if (init && ts.isObjectLiteralExpression(init)) {
      if (init.properties.every(ts.isShorthandPropertyAssignment)) return [oneLine(`${name} = ${init.getText()}`)];
      return [`${name}: { ${init.properties.map((p) => p.name?.getText() ?? '...').join(', ')} }`];
    }
    if (init && (ts.isArrowFunction(init) || ts.isFunctionExpression(init))) return [callText(name, init)];
    const type = checker.getTypeOfSymbolAtLocation(checker.getSymbolAtLocation(d.name), d);
    const calls = type.getCallSignatures();
    if (!d.type && calls.length === 1 && type.getProperties().length === 0) {
      const sig = calls[0];
      const params = sig.parameters.map((p) => {
        const decl = p.valueDeclaration;
        const rest = decl && ts.isParameter(decl) && decl.dotDotDotToken ? '...' : '';
        const optional = decl && ts.isParameter(decl) && (decl.questionToken || decl.initializer) ? '?' : '';
        const t = checker.typeToString(checker.getTypeOfSymbolAtLocation(p, d));
        return `${rest}${p.getName()}${optional}: ${optional ? t.replace(/ \| undefined$/, '') : t}`;
      });
      return [oneLine(`${name}(${params.join(', ')}) → ${checker.typeToString(sig.getReturnType())}`)];
    }
    return [oneLine(`${name}: ${d.type ? d.type.getText() : checker.typeToString(type)}`)];
  }
  if (ts.isSourceFile(d)) return [`namespace ${name}`];
  return [name];
}

function kindOf(decls) {
  const decl = decls.find(ts.isClassDeclaration) ?? decls[0];
  if (ts.isFunctionDeclaration(decl) || ts.isMethodDeclaration(decl) || ts.isMethodSignature(decl)) return 'function';
  if (ts.isClassDeclaration(decl)) return 'class';
  if (ts.isInterfaceDeclaration(decl)) return 'interface';
  if (ts.isTypeAliasDeclaration(decl)) return 'type';
  if (ts.isSourceFile(decl) || ts.isModuleDeclaration(decl)) return 'namespace';
  if ((ts.isPropertySignature(decl) || ts.isPropertyDeclaration(decl)) && decl.type && ts.isTypeReferenceNode(decl.type)) return 'member';
  return 'value';
}

// ---------------------------------------------------------------------------------- collect

function createProgram(root) {
  const files = ENTRIES.map((e) => join(root, e.file));
  const options = {
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    strict: true,
    noEmit: true,
    types: [],
    skipLibCheck: true,
    // Read core from source, so the reference never depends on a build.
    baseUrl: root,
    paths: { '@kindling/core': ['packages/core/src/index.ts'], '@kindling/core/*': ['packages/core/src/*/index.ts'] },
  };
  return ts.createProgram(files, options);
}

function fileGroup(root, node) {
  const file = relative(join(root, 'packages'), node.getSourceFile().fileName).split('\\').join('/');
  for (const [re, group] of FILE_GROUPS) if (re.test(file)) return group;
  return null;
}

function sourceLocation(root, node) {
  const sf = node.getSourceFile();
  const line = sf.getLineAndCharacterOfPosition(node.getStart()).line + 1;
  return `${relative(root, sf.fileName).split('\\').join('/')}:${line}`;
}

function isPublicMember(symbol) {
  const name = symbol.getName();
  if (name.startsWith('_') && !name.endsWith('_')) return false;
  if (name.startsWith('__@') || name === 'prototype' || name === 'constructor') return false;
  const decls = symbol.declarations ?? [];
  if (decls.length === 0) return false;
  for (const d of decls) {
    const flags = ts.getCombinedModifierFlags(d);
    if (flags & (ts.ModifierFlags.Private | ts.ModifierFlags.Protected)) return false;
    if (d.name && ts.isPrivateIdentifier(d.name)) return false;
  }
  return true;
}

/** The doc of a symbol: the first of its declarations that has one (overloads share it). */
function symbolDoc(decls) {
  for (const d of decls) {
    const doc = docOf(d);
    if (doc) return doc;
  }
  // Constructor parameter properties may be documented with @param on the constructor.
  for (const d of decls) {
    if (ts.isParameter(d) && ts.isIdentifier(d.name)) {
      for (const tag of ts.getJSDocParameterTags(d)) {
        const text = commentText(tag.comment).trim();
        if (text) return { summary: text, notes: [], internal: false };
      }
    }
  }
  return null;
}

/**
 * Every documented-or-not public API item: { display, scope, kind, group, signature[], summary,
 * notes[], location, internal }.
 */
export function collectApi(root = repoRoot) {
  const program = createProgram(root);
  const checker = program.getTypeChecker();
  activeChecker = checker;
  const items = [];
  const classesToExpand = [];

  const add = (item) => items.push(item);
  const makeItem = (display, scope, decls, extra = {}) => {
    const doc = symbolDoc(decls);
    const name = display.split('.').pop();
    return {
      display,
      scope,
      kind: kindOf(decls),
      group: NAME_GROUPS[display] ?? fileGroup(root, decls[0]),
      signature: signatureOf(decls, name, checker),
      summary: doc?.summary ?? '',
      notes: doc?.notes ?? [],
      internal: doc?.internal ?? false,
      location: sourceLocation(root, decls[0]),
      ...extra,
    };
  };

  /** Lists a namespace's exports as `prefix.name`, recursing into nested namespaces (F's members stay under nn.functional). */
  const expandNamespace = (prefix, nsSymbol, scope) => {
    for (const member of checker.getExportsOfModule(nsSymbol)) {
      const m = member.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(member) : member;
      if (!m.declarations?.length) continue;
      const display = `${prefix}.${member.getName()}`;
      const isNamespace = m.declarations.some(ts.isSourceFile);
      const docDecls = isNamespace ? [...(member.declarations ?? []), ...m.declarations] : m.declarations;
      const item = makeItem(display, scope, docDecls, prefix === 'F' ? { group: 'nn.functional' } : {});
      if (isNamespace) {
        item.kind = 'namespace';
        item.signature = [`namespace ${display}`];
      }
      add(item);
      if (isNamespace && display !== 'nn.functional') expandNamespace(display, m, scope);
      if (m.declarations.some(ts.isClassDeclaration)) {
        classesToExpand.push({ target: m, display, className: member.getName(), scope, group: item.group });
      }
    }
  };

  for (const entry of ENTRIES) {
    const sf = program.getSourceFile(join(root, entry.file));
    if (!sf) throw new Error(`cannot read ${entry.file}`);
    const moduleSymbol = checker.getSymbolAtLocation(sf);
    for (const exported of checker.getExportsOfModule(moduleSymbol)) {
      const target = exported.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(exported) : exported;
      const decls = target.declarations ?? [];
      if (decls.length === 0) continue;
      const name = exported.getName();
      const display = entry.prefix ? `${entry.prefix}${name}` : name;
      const group = entry.key === 'testing' ? GROUPS[15][0] : entry.key === 'workers' ? GROUPS[16][0] : undefined;
      // Re-exported namespaces (`export { F }`) carry their doc on the export statement.
      const docDecls = decls.some(ts.isSourceFile) ? [...(exported.declarations ?? []), ...decls] : decls;
      const item = makeItem(display, entry.key, docDecls, group ? { group } : {});
      if (decls.some(ts.isSourceFile)) {
        item.kind = 'namespace';
        item.signature = [`namespace ${name}`];
      }
      add(item);

      // A namespace's own exports (F.*, nn.*, nn.init.*, optim.lrScheduler.*, ...).
      if (decls.some(ts.isSourceFile)) expandNamespace(name, target, entry.key);
      // autograd = { grad, Function }: one row per property.
      const v = entry.key === 'core' ? decls.find(ts.isVariableDeclaration) : undefined;
      if (v?.initializer && ts.isObjectLiteralExpression(v.initializer)) {
        for (const prop of v.initializer.properties) {
          if (!ts.isShorthandPropertyAssignment(prop)) continue;
          const value = checker.getShorthandAssignmentValueSymbol(prop);
          const resolved = value && value.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(value) : value;
          if (!resolved?.declarations?.length || resolved.declarations.some(ts.isSourceFile)) continue;
          add(makeItem(`${display}.${prop.name.text}`, entry.key, resolved.declarations, { group: item.group }));
        }
      }
      const cls = decls.find(ts.isClassDeclaration);
      if (cls) classesToExpand.push({ target, display: name, className: name, scope: entry.key, group: item.group });
    }
  }

  // Public members of exported classes; Tensor's include the methods merged in from ops/.
  for (const { target, display, className, scope, group } of classesToExpand) {
    const instance = checker.getDeclaredTypeOfSymbol(target);
    const statics = checker.getTypeOfSymbol(target);
    const members = [
      ...checker.getPropertiesOfType(statics).map((s) => [s, true]),
      ...checker.getPropertiesOfType(instance).map((s) => [s, false]),
    ];
    for (const [symbol, isStatic] of members) {
      if (!isPublicMember(symbol)) continue;
      // Inherited members are listed on the class that declares them.
      const decls = symbol.declarations.filter((d) => {
        const owner = d.parent;
        return ts.isClassDeclaration(owner) ? owner.name?.text === className || display === 'Tensor'
          : ts.isInterfaceDeclaration(owner) ? display === 'Tensor' && owner.name.text === 'Tensor'
          : ts.isConstructorDeclaration(owner) ? owner.parent.name?.text === className
          : false;
      });
      if (decls.length === 0) continue;
      const memberName = `${display}.${symbol.getName()}`;
      const item = makeItem(memberName, scope, decls);
      if (item.internal) continue;
      const base = baseMember(program, checker, decls[0], symbol.getName());
      // Standard members overridden from the JS library (`override name` of the errors) are not Kindling's API.
      const overrides = decls.some((d) => ts.getCombinedModifierFlags(d) & ts.ModifierFlags.Override);
      if (base?.lib && overrides) continue;
      // A member implementing a documented interface member shows (and counts as) that doc.
      if (item.summary === '' && base?.doc && !base.lib) {
        item.summary = base.doc.summary;
        item.notes = base.doc.notes;
      }
      if (display === 'Tensor') {
        item.group = NAME_GROUPS[memberName] ?? tensorMethodGroup(items, symbol.getName()) ?? item.group ?? 'Tensor';
      } else {
        item.group = group;
      }
      if (isStatic) item.static = true;
      add(item);
    }
  }
  for (const it of items) {
    const name = it.display.split('.').pop();
    if (name.endsWith('_') && OP_GROUPS.has(it.group) && (it.display.startsWith('torch.') || it.display.startsWith('Tensor.'))) it.group = 'In-place';
  }
  return items.filter((it) => !it.internal);
}

/** Groups whose in-place twins (`foo_`) are listed under In-place. */
const OP_GROUPS = new Set(['Pointwise', 'Reductions', 'Linear algebra', 'Shape & indexing', 'Views', 'In-place', 'nn.functional']);

/** The member `name` of the classes / interfaces that the member's class extends or implements. */
function baseMember(program, checker, decl, name) {
  let cls = decl.parent;
  if (ts.isConstructorDeclaration(cls)) cls = cls.parent;
  if (!ts.isClassDeclaration(cls)) return null;
  for (const clause of cls.heritageClauses ?? []) {
    for (const t of clause.types) {
      const prop = checker.getTypeAtLocation(t).getProperty(name);
      if (!prop?.declarations?.length) continue;
      const lib = prop.declarations.every((d) => program.isSourceFileDefaultLibrary(d.getSourceFile()));
      return { doc: symbolDoc(prop.declarations), lib };
    }
  }
  return null;
}

/** A Tensor method goes with the torch function of the same name (in-place twins with In-place). */
function tensorMethodGroup(items, name) {
  const fn = items.find((it) => it.display === `torch.${name}`) ?? items.find((it) => it.display === `torch.${name.replace(/_$/, '')}`);
  return fn?.group ?? null;
}

/** Items whose TSDoc summary is missing, as "name (file:line)". */
export function missingDocs(items = collectApi()) {
  return items.filter((it) => it.summary === '').map((it) => `${it.display} (${it.location})`);
}

// ----------------------------------------------------------------------------------- render

/** Escapes text for a table cell: pipes, and '<' outside code spans (so it is not read as HTML). */
function cell(text) {
  return text
    .split('`')
    .map((part, i) => (i % 2 === 1 ? part : part.replace(/</g, '&lt;')))
    .join('`')
    .replace(/\|/g, '\\|')
    .replace(/\n/g, ' ');
}

function code(text) {
  return text ? `\`${text.replace(/`/g, "'")}\`` : '';
}

/**
 * Rows of one group: a torch function and its Tensor method share a row (`torch.add` and
 * `Tensor.add`); everything else has its own.
 */
function rowsOf(items) {
  const rows = [];
  const byName = new Map();
  for (const it of items) {
    const [head, ...rest] = it.display.split('.');
    const key = head === 'torch' || head === 'Tensor' ? rest.join('.') : null;
    const existing = key !== null ? byName.get(key) : undefined;
    if (existing && existing.items.every((e) => e.display.split('.')[0] !== head) && it.kind !== 'type' && it.kind !== 'interface'
      && existing.items[0].kind !== 'type' && existing.items[0].kind !== 'interface') {
      existing.items.push(it);
      continue;
    }
    const row = { items: [it] };
    rows.push(row);
    if (key !== null && !byName.has(key)) byName.set(key, row);
  }
  return rows;
}

function renderRow(row) {
  const names = row.items.map((it) => cell(code(it.display))).join('<br>');
  const pytorch = [...new Set(row.items.map(pytorchName).filter(Boolean))].map((n) => cell(code(n))).join('<br>') || '—';
  const signatures = row.items.flatMap((it) => it.signature.map((s) => {
    const method = it.kind === 'function' || it.kind === 'member' || it.kind === 'value';
    const head = it.display.startsWith('Tensor.') && !it.static ? 'x.' : it.display.startsWith('F.') && method ? 'F.' : '';
    return cell(code(head + s));
  })).join('<br>');
  const summary = row.items.map((it) => it.summary).find(Boolean) ?? '';
  const notes = [...new Set(row.items.flatMap((it) => it.notes))].map((n) => n[0].toUpperCase() + n.slice(1)).join(' ');
  return `| ${names} | ${pytorch} | ${signatures} | ${cell(firstSentence(summary))} | ${cell(notes.replace(/\s+/g, ' '))} |`;
}

const PREAMBLE = `# Kindling API reference

Generated from the TSDoc in the source by \`pnpm run docs\` (\`node packages/core/scripts/api-reference.mjs\`);
do not edit by hand. \`packages/core/test/api-docs.test.ts\` fails when this file is stale or a
public function, method or export has no TSDoc.

\`import * as torch from '@kindling/core'\` gives the \`torch.*\` names; \`x.name(...)\` is a Tensor
method. Names are PyTorch's in camelCase; positional arguments keep PyTorch's order and keywords go
in one trailing options object (\`x.sum(1, true)\` or \`x.sum({ dim: 1, keepdim: true })\`).
The last column notes where behaviour differs from PyTorch (from \`@remarks Differs from PyTorch:\`
in the TSDoc).

## Differences that apply everywhere

- **No operators.** \`a + b\`, \`a @ b\`, \`x[i]\`, \`x[i] = v\` are \`a.add(b)\`, \`a.matmul(b)\`,
  \`x.index(i)\`, \`x.setIndex(i, v)\`.
- **Keywords are an options object**: \`F.crossEntropy(x, t, { labelSmoothing: 0.1 })\`.
- **int64 is stored as float64**: int64 values are exact up to 2^53 in magnitude; larger ones round.
- **Python int vs float**: a JS number that \`Number.isInteger\` accepts counts as a Python int in type
  promotion (\`x.mul(2)\` keeps an int64 tensor int64); \`2.0\` is the same number as \`2\`, so pass a
  float tensor or a non-integral value where PyTorch code relies on \`2.0\` being a float.
- **Reading values is sync or async**: \`dataSync\`/\`data\`, \`itemSync\`/\`item\`, \`tolistSync\`/\`tolist\`;
  the sync readers throw while a device (such as \`workers\`) is still computing the values.
- **Multiple outputs** are objects: \`max(dim)\` / \`min(dim)\` return \`{ values, indices, 0, 1 }\`;
  \`split\` / \`chunk\` / \`unbind\` return arrays.
- **Unsupported cases throw**: \`NotSupportedError\` (or PyTorch's own error where PyTorch also
  refuses), never a silently different result.
`;

/** The Markdown of docs/API.md. */
export function renderApiReference(items = collectApi()) {
  const out = [PREAMBLE];
  const contents = GROUPS.map(([g]) => `[${g.replace(/`/g, '')}](#${anchor(g)})`).join(' · ');
  out.push(`## Contents\n\n${contents}\n`);
  for (const [group, intro] of GROUPS) {
    // Namespace objects (torch.F, torch.nn, torch.autograd) open their section.
    const members = items.filter((it) => it.group === group).sort((a, b) => rank(a) - rank(b));
    if (members.length === 0) continue;
    out.push(`## ${group}\n`);
    if (intro) out.push(`${intro}\n`);
    out.push('| Kindling | PyTorch | Signature | Description | Differs from PyTorch |');
    out.push('| --- | --- | --- | --- | --- |');
    for (const row of rowsOf(members)) out.push(renderRow(row));
    out.push('');
  }
  const ungrouped = items.filter((it) => !GROUPS.some(([g]) => g === it.group));
  if (ungrouped.length > 0) {
    out.push('## Other\n');
    out.push('| Kindling | PyTorch | Signature | Description | Differs from PyTorch |');
    out.push('| --- | --- | --- | --- | --- |');
    for (const row of rowsOf(ungrouped)) out.push(renderRow(row));
    out.push('');
  }
  return out.join('\n');
}

/** 0 for the namespace objects, which open their section; 1 for everything else. */
function rank(it) {
  return ['torch.F', 'torch.nn', 'torch.autograd'].includes(it.display) ? 0 : 1;
}

/** GitHub's heading anchor. */
function anchor(heading) {
  return heading.toLowerCase().replace(/[^a-z0-9 _-]/g, '').replace(/ /g, '-');
}

/** { stale, missing }: whether docs/API.md differs from a fresh render, and undocumented items. */
export function checkApiReference(root = repoRoot) {
  const items = collectApi(root);
  const expected = renderApiReference(items);
  let actual = '';
  try {
    actual = readFileSync(join(root, outputPath), 'utf8');
  } catch {
    actual = '';
  }
  return { stale: actual !== expected, missing: missingDocs(items), expected };
}

function main() {
  const check = process.argv.includes('--check');
  if (check) {
    const { stale, missing } = checkApiReference();
    for (const m of missing) console.error(`missing TSDoc: ${m}`);
    if (stale) console.error(`${outputPath} is stale: run pnpm run docs`);
    process.exit(stale || missing.length > 0 ? 1 : 0);
  }
  const items = collectApi();
  mkdirSync(join(repoRoot, dirname(outputPath)), { recursive: true });
  writeFileSync(join(repoRoot, outputPath), renderApiReference(items));
  const missing = missingDocs(items);
  console.log(`wrote ${outputPath}: ${items.length} items, ${missing.length} without TSDoc`);
  for (const m of missing) console.log(`  missing TSDoc: ${m}`);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) main();
