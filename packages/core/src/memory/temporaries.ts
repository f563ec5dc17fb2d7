/**
 * Backward frees its own temporaries as soon as they are consumed: the gradients flowing between
 * nodes, and the intermediates a built-in formula makes and does not return. Only storage created
 * during this backward pass is ever freed (never a user's tensor, a saved tensor or a root
 * gradient), and only once nothing pending holds it: gradients are counted by storage (views and
 * pass-through formulas share it). The engine does not use this with createGraph (gradients are
 * then part of a graph the user holds); gradients a hook sees, captured ones (autograd.grad) and
 * those stored on `.grad` (kept by the setter, or claimed by a leaf) are never freed.
 */
import type { Backend, Storage } from '../backend/backend.js';
import { popRecorder, pushRecorder, type Recorder } from './scope.js';

interface Owned {
  readonly storage: Storage;
}

interface OwnedView extends Owned {
  readonly offset: number;
  isContiguous(): boolean;
  numel(): number;
}

/** One backward pass's temporaries. Create it at the start; call `end` when the pass ends. */
export class Temporaries implements Recorder {
  /** Storages created during the pass and not kept, with their backends. */
  private readonly made = new Map<Storage, Backend>();
  /** Storages in creation order (those since a mark were made by one formula). */
  private readonly order: Storage[] = [];
  /** How many pending gradient buffers hold each storage. */
  private readonly refs = new Map<Storage, number>();

  constructor() {
    pushRecorder(this);
  }

  /** @internal */
  created(storage: Storage, backend: Backend): void {
    this.made.set(storage, backend);
    this.order.push(storage);
  }

  /** @internal */
  kept(storage: Storage): void {
    this.made.delete(storage);
  }

  /** A gradient placed in a node's buffer. */
  hold(g: Owned): void {
    const s = g.storage;
    if (this.made.has(s)) this.refs.set(s, (this.refs.get(s) ?? 0) + 1);
  }

  /** A gradient taken out of a buffer, consumed: freed once no buffer holds its storage. */
  drop(g: Owned | null | undefined): void {
    if (!g) return;
    const s = g.storage;
    const n = this.refs.get(s);
    if (n === undefined) return;
    if (n > 1) this.refs.set(s, n - 1);
    else {
      this.refs.delete(s);
      this.free(s);
    }
  }

  /** Never frees this gradient (a hook saw it, or it is returned to the caller). */
  keep(g: Owned | null | undefined): void {
    if (g) this.kept(g.storage);
  }

  /**
   * Whether `g`, about to become a leaf's `.grad`, may be stored as it is instead of copied, as
   * PyTorch's AccumulateGrad steals a gradient no one else holds: its storage was made in this
   * pass, no other pending buffer holds it (one hold: g's own), nothing kept it (hooks, capture),
   * and g covers all of it contiguously. Then it is kept, never freed by the pass.
   */
  claim(g: OwnedView): boolean {
    const s = g.storage;
    if (!this.made.has(s) || this.refs.get(s) !== 1 || g.offset !== 0 || g.numel() !== s.length || !g.isContiguous()) return false;
    this.kept(s);
    return true;
  }

  /** A position in the creation order (before a formula runs). */
  mark(): number {
    return this.order.length;
  }

  /** Frees what was created since `mark` and is held by no buffer: a formula's intermediates. */
  freeSince(mark: number): void {
    for (let i = mark; i < this.order.length; i++) {
      const s = this.order[i]!;
      if (!this.refs.has(s)) this.free(s);
    }
    this.order.length = mark;
  }

  /** Ends recording (what is still held stays valid: the pass ended or failed). */
  end(): void {
    popRecorder();
  }

  private free(s: Storage): void {
    const backend = this.made.get(s);
    if (backend === undefined) return;
    this.made.delete(s);
    backend.release?.(s);
  }
}
