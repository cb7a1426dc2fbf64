// The poolifier baseline's task: the same tiny function as the other sides.
import { ThreadWorker } from 'poolifier';

export default new ThreadWorker((x) => x + 1);
