/** A node of a `ListTrie`: the value of the list leading here, and the longer lists. */
interface TrieNode<K, V> {
  value?: V;
  next?: Map<K, TrieNode<K, V>>;
}

/**
 * One value per distinct list of objects (compared by identity, in order): lets the many equal
 * lists a compile or an evaluation meets share one value.
 */
export class ListTrie<K, V> {
  private readonly root: TrieNode<K, V> = {};

  /** The value of `list`, made by `make` the first time the list is met. */
  of(list: readonly K[], make: () => V): V {
    let node = this.root;
    for (const item of list) {
      node.next ??= new Map();
      let next = node.next.get(item);
      if (!next) node.next.set(item, (next = {}));
      node = next;
    }
    return (node.value ??= make());
  }
}
