#include "batch.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

/* Articles in flight per worker, and their bytes: enough to keep every worker busy while
   the caller reads the next articles and writes the finished ones, and to hand them over in
   runs (each time the caller sleeps and wakes is a thread switch: 2,600 of them with eight
   slots a worker on the benchmark corpus, 900 with 32, 5% of a -j 2 run); few enough bytes
   that memory does not grow with the input or with the size of its articles. */
enum { SLOTS_PER_WORKER = 32 };
#define BYTES_PER_WORKER ((size_t)4 << 20)

typedef struct slot {
    article a;
    char *source; /* a copy: the article's own points into its reader, which may be gone */
    void *result;
    size_t bytes; /* of the article when queued (its record, if not read yet) */
    bool finished;
} slot;

struct batch {
    batch_work_fn work;
    batch_done_fn done;
    void *ctx;
    int nthreads;
    pipeline **pipes; /* one per worker */
    pthread_t *threads;
    int started;
    /* the queue: slots [head, tail) are in flight, [head, next) have been claimed by a worker;
       indices grow without bound and are taken modulo nslots */
    slot *slots;
    size_t nslots, head, next, tail;
    size_t bytes, max_bytes; /* of the articles in flight, and the most queued while busy */
    bool stop;
    /* The caller, once the queue is full, sleeps until `want` slots at its head have finished
       rather than until the first has: waking it for every article (and so a thread switch per
       article on a machine with as many cores as workers) cost a sixth of a -j 2 run. */
    bool waiting;
    size_t want;
    int idle; /* workers waiting for a slot */
    pthread_mutex_t mu;
    pthread_cond_t work_cv; /* a slot was queued, or stop */
    pthread_cond_t done_cv; /* a slot finished */
};

typedef struct worker_arg {
    batch *b;
    int id;
} worker_arg;

/* How many slots from the head have finished, up to `max`. */
static size_t finished_run(const batch *b, size_t max)
{
    size_t n = 0;
    while (n < max && b->head + n < b->tail && b->slots[(b->head + n) % b->nslots].finished)
        n++;
    return n;
}

static void *worker_main(void *arg)
{
    worker_arg *wa = arg;
    batch *b = wa->b;
    pipeline *p = b->pipes[wa->id];
    free(wa);
    pthread_mutex_lock(&b->mu);
    for (;;) {
        while (!b->stop && b->next == b->tail) {
            b->idle++;
            pthread_cond_wait(&b->work_cv, &b->mu);
            b->idle--;
        }
        if (b->next == b->tail)
            break; /* stop, and nothing left */
        slot *s = &b->slots[b->next++ % b->nslots];
        pthread_mutex_unlock(&b->mu);
        void *res = b->work(b->ctx, p, &s->a);
        pthread_mutex_lock(&b->mu);
        s->result = res;
        s->finished = true;
        if (b->waiting && finished_run(b, b->want) >= b->want)
            pthread_cond_signal(&b->done_cv);
    }
    pthread_mutex_unlock(&b->mu);
    return NULL;
}

batch *batch_new(const rules *r, const pipeline_opts *o, int nthreads, batch_work_fn work, batch_done_fn done, void *ctx)
{
    batch *b = xcalloc(1, sizeof *b);
    b->work = work;
    b->done = done;
    b->ctx = ctx;
    b->nthreads = nthreads < 1 ? 1 : nthreads;
    b->pipes = xcalloc((size_t)b->nthreads, sizeof *b->pipes);
    for (int i = 0; i < b->nthreads; i++)
        b->pipes[i] = pipeline_new(r, o);
    if (b->nthreads == 1)
        return b;
    b->nslots = (size_t)b->nthreads * SLOTS_PER_WORKER;
    b->max_bytes = (size_t)b->nthreads * BYTES_PER_WORKER;
    b->slots = xcalloc(b->nslots, sizeof *b->slots);
    b->threads = xcalloc((size_t)b->nthreads, sizeof *b->threads);
    pthread_mutex_init(&b->mu, NULL);
    pthread_cond_init(&b->work_cv, NULL);
    pthread_cond_init(&b->done_cv, NULL);
    for (int i = 0; i < b->nthreads; i++) {
        worker_arg *wa = xmalloc(sizeof *wa);
        wa->b = b;
        wa->id = i;
        if (pthread_create(&b->threads[i], NULL, worker_main, wa) != 0) {
            free(wa);
            batch_free(b);
            return NULL;
        }
        b->started++;
    }
    return b;
}

/* Sleeps until the `want` oldest slots have finished; the lock is held. */
static void wait_finished(batch *b, size_t want)
{
    if (want > b->tail - b->head)
        want = b->tail - b->head;
    b->want = want;
    while (finished_run(b, want) < want) {
        b->waiting = true;
        pthread_cond_wait(&b->done_cv, &b->mu);
    }
    b->waiting = false;
}

/* Runs `done` for the oldest slot, which has finished; the lock is held on entry and exit
   but not during `done`, so the workers go on meanwhile. */
static void finish_head(batch *b)
{
    slot *s = &b->slots[b->head % b->nslots];
    article a = s->a;
    char *source = s->source;
    void *res = s->result;
    b->bytes -= s->bytes;
    memset(s, 0, sizeof *s);
    b->head++;
    pthread_mutex_unlock(&b->mu);
    b->done(b->ctx, &a, res);
    article_finish(&a);
    free(source);
    pthread_mutex_lock(&b->mu);
}

void batch_add(batch *b, article *a)
{
    if (b->nthreads == 1) {
        void *res = b->work(b->ctx, b->pipes[0], a);
        b->done(b->ctx, a, res);
        article_finish(a);
        memset(a, 0, sizeof *a);
        return;
    }
    size_t bytes = a->len + (a->unparsed ? a->unparsed->len : 0);
    pthread_mutex_lock(&b->mu);
    /* make room, half of what is in flight at a time, when the queue is full or holds too many
       bytes (but every worker may always have an article), and write out what is ready */
    for (;;) {
        size_t inflight = b->tail - b->head;
        bool heavy = inflight >= (size_t)b->nthreads && b->bytes + bytes > b->max_bytes;
        if (inflight < b->nslots && !heavy)
            break;
        wait_finished(b, inflight / 2 ? inflight / 2 : 1);
        while (b->head < b->tail && b->slots[b->head % b->nslots].finished)
            finish_head(b);
    }
    while (b->head < b->tail && b->slots[b->head % b->nslots].finished)
        finish_head(b);
    slot *s = &b->slots[b->tail % b->nslots];
    s->bytes = bytes;
    b->bytes += bytes;
    s->a = *a;
    s->source = a->source ? xstrdup(a->source) : NULL;
    s->a.source = s->source;
    s->result = NULL;
    s->finished = false;
    b->tail++;
    if (b->idle)
        pthread_cond_signal(&b->work_cv);
    pthread_mutex_unlock(&b->mu);
    memset(a, 0, sizeof *a);
}

void batch_flush(batch *b)
{
    if (!b || b->nthreads == 1)
        return;
    pthread_mutex_lock(&b->mu);
    while (b->head < b->tail) {
        wait_finished(b, 1);
        finish_head(b);
    }
    pthread_mutex_unlock(&b->mu);
}

void batch_stats_add(const batch *b, pipeline_stats *sum)
{
    for (int i = 0; i < b->nthreads; i++)
        pipeline_stats_add(b->pipes[i], sum);
}

void batch_free(batch *b)
{
    if (!b)
        return;
    if (b->nthreads > 1) {
        if (b->started == b->nthreads)
            batch_flush(b);
        pthread_mutex_lock(&b->mu);
        b->stop = true;
        pthread_cond_broadcast(&b->work_cv);
        pthread_mutex_unlock(&b->mu);
        for (int i = 0; i < b->started; i++)
            pthread_join(b->threads[i], NULL);
        pthread_mutex_destroy(&b->mu);
        pthread_cond_destroy(&b->work_cv);
        pthread_cond_destroy(&b->done_cv);
    }
    for (int i = 0; i < b->nthreads; i++)
        pipeline_free(b->pipes[i]);
    free(b->pipes);
    free(b->threads);
    free(b->slots);
    free(b);
}
