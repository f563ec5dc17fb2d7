/**
 * torch.optim: the optimizers and `lrScheduler` (torch.optim.lr_scheduler).
 * `new torch.optim.Adam(model.parameters(), { lr: 1e-3 })`.
 */
import * as lrScheduler from './lr_scheduler.js';

/** torch.optim.lr_scheduler: learning-rate schedules stepped once per epoch (OneCycleLR once per batch). */
export { lrScheduler };
export { Optimizer, camelCase, type ParamGroup, type ParamsInput, type ParamState, type OptimizerStateDict } from './optimizer.js';
export { SGD, type SGDOptions } from './sgd.js';
export { Adam, AdamW, type AdamOptions } from './adam.js';
export { RMSprop, Adagrad, type RMSpropOptions, type AdagradOptions } from './rmsprop.js';
