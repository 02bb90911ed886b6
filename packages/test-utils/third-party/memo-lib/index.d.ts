export declare function memoize<K, V>(compute: (key: K) => V): (key: K) => V
