// The raw-piscina baseline's task: the same tiny function as the threadkit and CPython sides.
export default function inc(x) {
  return x + 1;
}
