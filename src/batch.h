/*
 * batch: runs the pipeline over a stream of articles with N worker threads and hands the
 * results back in input order, so `-j N` writes exactly what `-j 1` writes.
 *
 * Ownership: a batch borrows its rules (immutable, shared by every worker; they must outlive
 * the batch) and owns one pipeline per worker (each with its own scanner and arena).
 * batch_add() takes over the article's contents; the batch calls article_finish() on it after
 * `done`.  `work` runs on a worker thread with that worker's pipeline and returns a result
 * that only `done` sees; `done` runs on the thread that calls batch_add()/batch_flush(), one
 * article at a time, in the order the articles were added.
 *
 * With one thread there are no threads at all: batch_add() runs `work` and `done` at once.
 * The articles in flight are bounded in number (32 per worker) and in bytes (4 MB per worker,
 * but one article per worker however large), so memory stays flat over a stream of any length.
 */
#ifndef EVENTCAL_BATCH_H
#define EVENTCAL_BATCH_H

#include "article.h"
#include "pipeline.h"
#include "rules.h"

typedef void *(*batch_work_fn)(void *ctx, pipeline *p, article *a);
typedef void (*batch_done_fn)(void *ctx, article *a, void *result);

typedef struct batch batch;

/* nthreads < 1 counts as 1.  Returns NULL if a thread cannot be started. */
batch *batch_new(const rules *r, const pipeline_opts *o, int nthreads, batch_work_fn work, batch_done_fn done, void *ctx);

/* Queues *a (its contents move into the batch; *a is zeroed) and runs `done` for every
   article before it that has finished, in order.  Blocks while the queue is full. */
void batch_add(batch *b, article *a);

/* Waits for every queued article and runs its `done`: afterwards all output is written. */
void batch_flush(batch *b);

/* Adds what the workers' pipelines counted (pipeline_opts.stats) to *sum; after a flush. */
void batch_stats_add(const batch *b, pipeline_stats *sum);
/* Flushes, stops the workers and frees everything; NULL is a no-op. */
void batch_free(batch *b);

#endif
