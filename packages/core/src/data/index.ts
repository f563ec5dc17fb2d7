/** torch.utils.data: Dataset, TensorDataset, Subset, randomSplit, DataLoader, defaultCollate. */
export { Dataset, TensorDataset, Subset, randomSplit } from './dataset.js';
export { DataLoader, defaultCollate, type DataLoaderOptions, type Batch } from './dataloader.js';
