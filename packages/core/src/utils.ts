/** torch.utils: the `data` namespace (datasets and the DataLoader). */
import * as data from './data/index.js';

/** torch.utils.data: Dataset, TensorDataset, Subset, randomSplit, DataLoader, defaultCollate. */
export { data };
