/**
 * The worker program with the whole library loaded up front, for a worker whose first job
 * needs it anyway (a module or instance target: its module imports threadkit; a builtin
 * thread; a prewarmed worker): one module graph, loaded in one go, instead of the lean
 * thread-entry.ts first and the rest when the job arrives.
 */
import '../index.js';
import './thread-entry.js';
