// The workerpool baseline's task: the same tiny function as the other sides.
import workerpool from 'workerpool';

workerpool.worker({ inc: (x) => x + 1 });
