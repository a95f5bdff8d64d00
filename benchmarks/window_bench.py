"""The window on generated corpora: time to first paint, to the full list, to settle, and peak RSS.

For each size a fresh process opens a generated folder in the real MainWindow
(offscreen), with a private disk cache (cold, then warm), and prints:
- first paint: from creating the window to its first painted frame with the folder opening;
- listed: until every article is in the list;
- copied: until every candidate pair's copied links are in (the corpus map's stories,
  closest articles and heat map are then complete for copied wording);
- settled: until the background work (reading, indexing, aligning candidate pairs, then
  their related links where both articles are prose) is idle;
- longest stall of the event loop (a 10 ms timer's longest gap) while it worked, and how
  many gaps were over 100 ms;
- peak resident memory, the machine's load and the window process's CPU seconds (wall
  times on a shared machine stretch with the load; CPU seconds much less).

    nice .venv/bin/python benchmarks/window_bench.py [--sizes 100 300 1000] [--screenshot docs/corpus-view.png]
        [--syllables] [--trace-stalls FILE [--trace-calls]]

The folders are generated English prose (``corpus_generator``), so the window also finds
related links and embeds sentences; ``--syllables`` generates the invented words, which
the related matcher takes for non-prose (copied links only).

Measured for 1,000 syllable articles (seed 1, 5,200 candidate pairs, 111 stories) on 2
cores shared with other work:

    code    cache  paint s  listed s  copied s  settled s  stall ms  >100ms  RSS MB  load  CPU s
    before  cold      0.12      2.42         -       34.8       250      78     463   0.7     36
    before  warm      0.08      1.15         -       36.5       477      84     481   0.8     38
    before  cold      0.07      2.55         -       32.9       509       6     463   2.8     31
    before  warm      0.14      0.83         -       33.0       219      10     482   3.1     32
    after   cold      0.13      2.37      20.4       22.0        69       0     463   2.0     21
    after   warm      0.13      0.72      21.3       23.1       129       6     484   2.5     20
    after   cold      0.12      2.23      22.7       24.4       132       1     463   2.2     25
    after   warm      0.11      0.91      18.4       19.8       246       7     481   2.5     19

The stalls were the GUI thread waiting for the GIL: each return from Qt into Python (a
model's data(), a delegate's painting) waits up to one switch interval while the worker
aligns, and a repaint is hundreds of them. They are worst on an idle machine, where the
worker always runs (78-84 stalls before); under load the worker is often descheduled and
the OS, not the GIL, makes the gaps. "after": switch interval 1 ms -> 20 us, background
pairs without word runs, shares measured on the worker, one dataChanged per refresh.

On prose folders (seed 1, copied and related links; 1,000 articles, 24,769 candidate
pairs, one story: same-kind stories of the prose generator share sentence skeletons, and
one link between two stories joins them), before and after the two-pass background
alignment, the story-choice and the garbage-collector fixes:

    code    cache  paint s  listed s  copied s  settled s  stall ms  >100ms  RSS MB  load  CPU s
    before  cold      0.09      1.85         -      128.6       693      22     419   2.7    134
    before  warm      0.14      0.92         -       78.3       594      19     432   2.7     74
    after   cold      0.15      2.67      29.0      110.1       250       9     432   2.0    123
    after   warm      0.12      0.89      26.8       73.1       346      17     436   2.9     62

Not at target (0.1 s) then. On the same prose folders with the generator's per-story
wording and the candidates from shared names and numbers (10,336 pairs, 89 stories),
main (88b1e7b) before and after the fixes traced with ``--trace-stalls``, runs
interleaved (before, after, before, after), load 1.1-1.5:

    code    cache  paint s  listed s  copied s  settled s  stall ms  >100ms  RSS MB  load  CPU s
    before  cold      0.11      2.04      20.1       78.4       134      10     439   1.1    103
    before  warm      0.12      0.70      21.5       50.7       161      14     428   1.1     54
    before  cold      0.07      1.39      16.8       70.0       149       7     435   1.4     92
    before  warm      0.08      0.82      17.5       38.8       203       6     427   1.2     41
    after   cold      0.10      1.47      18.5       74.5       108       2     417   1.2     97
    after   warm      0.07      0.49      15.8       35.9       126       1     421   1.2     37
    after   cold      0.07      1.28      17.1       70.6        91       0     413   1.5     92
    after   warm      0.11      0.74      16.0       40.0       174       3     421   1.3     42
    final   cold      0.08      1.57      21.0       78.9        88       0     414   1.3    102
    final   warm      0.08      0.59      18.2       42.1       231       1     422   1.3     44
    final   cold      0.07      1.40      16.3       66.6       103       1     414   1.3     87
    final   warm      0.08      0.61      13.9       31.8        83       0     423   1.2     33

("final": with the first corpus freezing the window's own objects as well.)

and on syllable folders (``--syllables``, copied links only; 5,202 pairs): after, cold
28.1 s settled (30 CPU s), longest stall 112 ms, 1 over 100 ms; warm 24.5 s (26 CPU s),
105 ms, 1.

What the traces showed, and what was done:
- files read in batches of 25 queued up behind each other on the GUI thread, each
  inserting rows and repainting the window at once (QProgressBar.setValue repaints):
  now passed on at once, then at most every 100 ms with all read meanwhile;
- slots of the GUI thread's own (the corpus refresh: 26 ms median for 12 ms of CPU,
  up to 75 ms) ran at half speed, as the worker takes the GIL back every 20 us: such
  slots (``workers.before_workers``) close a gate at which the worker waits without the
  GIL between two steps; the story groups look at an article's partners only when its
  closest may change (heapq.nlargest on every pair was most of the refresh);
- garbage collections of 25-166 ms: full ones walking every pair aligned so far, young
  ones walking up to 80,000 objects, as the young count (allocations less deallocations)
  stayed under its threshold while the related pass replaced old pairs: while a corpus
  aligns the young generation is collected every 25 ms tick, the middle one every third,
  and their survivors (the corpus's pairs) are frozen; the first corpus freezes the
  window's own objects; none over 20 ms since, apart from one full collection as a
  folder is read;
- freezing exposed a leak: the text cache opened a SQLite connection per job of Qt's
  thread pool (a threading.local does not outlive a job's Python thread state), 34 for
  120 articles, each left to the collector (RSS 597 MB frozen, 413 MB now, one
  connection per thread);
- the list's Python filterAcceptsRow was asked of all 1,000 rows whenever every share
  changed (a pair shown): Qt's own filter asks nothing without filter text.

Left (0-3 gaps over 100 ms a run, none in 3 runs of 8, longest 0.09-0.23 s): the
article list repainting while the worker aligns (each return into Python waits up to a
switch interval for the GIL; the paint is not gated, and the worker has steps without a
gate check: building the aligner's profiles as a folder is read, related links' detail
runs), the corpus becoming ready (the first pair shown and laid out),
and on a loaded machine the GUI thread waiting for a CPU (schedstat's runqueue column:
30-90 ms of a gap at load 2-3). What would remove the GIL part: aligning in a worker
process (spawn), leaving the GUI process's GIL to the GUI thread. Settling cold takes
70-78 s on main as well (the link-kind and candidate changes added work; 56 s before
them): not at the 60 s target, and not changed by these fixes.

Settling cold, bisected in CPU s (1,000 prose articles, seed 1; the machine shared,
load 3.4-5.3, so the walls, 91-125 s cold, say little), cold / warm: 67a4373 (the
"56 s" run, at load ~1.3) 81 / 27; 0f29b26 84 / 37; 37e7693 (the link-kind rule:
every passage's phrases and restating sentences looked at, in both passes) 94 / 46;
88b1e7b (candidates from names and numbers, 10,284 -> 10,336 pairs) 95 / 43; e289ee4
(phrases remembered) 77-92 / 32-41. Profiled headless (``settle_bench.py``), the
related pass compared every pair's words again, as the copied pass had, and embedded
its 4,421 new sentences one or two at a time (2,740 model calls; ~90 sentences per CPU
second so, ~128 in batches of 16). Now the Aligner keeps the copied pass's links found
by words until the pair's related pass, embeds the sentences of the pairs coming next
with a pair's (149 calls, the same sentences, bit-identical vectors), and finds seeds'
postings and restating sentences once per article. Same links (a digest of every link
of both passes; ``related_quality.py`` output identical). Runs interleaved with main
e289ee4, load 3.0-4.3:

    code    cache  paint s  listed s  copied s  settled s  stall ms  >100ms  RSS MB  load  CPU s
    before  cold      0.09      1.49      13.8       83.0       104       1     424   4.2     83
    before  warm      0.14      1.15      13.7       36.2       241       3     427   3.6     32
    after   cold      0.19      2.15      14.0       55.7       101       1     491   3.0     66
    after   warm      0.15      0.80      15.4       27.0       126       2     457   3.0     25
    before  cold      0.07      1.44      14.4       85.5       225       3     425   4.3     77
    before  warm      0.21      1.01      29.0       53.0       152       9     426   4.0     41
    after   cold      0.07      1.39      14.2       63.5       155       1     491   3.9     62
    after   warm      0.10      0.58      14.0       24.8       158       1     457   3.2     25

and again later on a quieter machine (load 1.1-1.6):

    code    cache  paint s  listed s  copied s  settled s  stall ms  >100ms  RSS MB  load  CPU s
    before  cold      0.11      2.07      18.7       73.5        94       0     421   1.1     97
    before  warm      0.09      0.53      15.1       38.3       119       2     427   1.1     40
    after   cold      0.09      2.06      19.6       54.4        85       0     490   1.6     75
    after   warm      0.11      0.51      15.5       27.0       107       1     458   1.4     28

RSS is up 30-65 MB: the links of the pairs waiting for their related pass (~2 KB a
pair, 10,336 pairs) and, cold, the model's buffers for batches of 16 sentences rather
than one or two. Left: the second core idles while the copied pass runs (Python, one
thread): the story sentences could be embedded meanwhile (a second worker, or the
worker process); the window's own work: its copied pass takes 15-20 s against 8-11
CPU s headless (the GUI thread filing batches and taking the GIL back every 20 us).

Worker process (branch procalign): the corpus's pairs, background and asked for, are
aligned in one spawned worker process (``reader.core.align_process``), so the window's
process no longer runs alignment at all; "wRSS MB" and "wCPU s" are the worker's (the
largest child's peak RSS, all children's CPU seconds). Main (e289ee4) and after, runs
interleaved on 2 cores shared with another helper's benchmark and test suite (load
1.6-5.8; the first pair of rows was the most loaded):

    code    cache  paint s  listed s  copied s  settled s  stall ms  >100ms  RSS MB  wRSS MB  load  CPU s  wCPU s
    after   cold      0.21      1.82      38.1      139.9       553      51     415      333   4.5     13      68
    after   warm      0.13      0.85      35.5       76.9       502      39     423      123   4.6     10      27
    main    cold      0.14      2.67      26.1      151.8       330      23     415        -   5.8    118       -
    main    warm      0.28      1.66      29.1       63.0       791      22     409        -   4.4     49       -
    after   cold      0.13      1.85      18.7       87.6       213       3     416      335   3.4     12      72
    after   warm      0.12      0.59      17.6       41.9       135       3     423      123   3.4      9      30
    main    cold      0.09      1.52      18.3       94.8       165       2     412        -   2.4    112       -
    main    warm      0.12      0.59      13.3       43.3       114       1     409        -   2.5     42       -
    after   cold      0.16      1.54      15.3       77.2       139       2     415      334   2.4     11      66
    after   warm      0.14      0.70      14.2       35.2       180       3     423      122   2.7      7      24
    main    cold      0.15      2.45      17.2       97.2       141       3     413        -   1.6    128       -
    main    warm      0.08      0.68      16.2       48.2       124       5     409        -   2.5     42       -
    after   cold      0.12      1.69      17.2       87.4       131       4     415      333   3.0     11      69
    after   warm      0.25      1.05      17.7       44.6       174       6     423      122   3.4      9      29
    main    cold      0.14      2.42      20.7      112.9       280      12     413        -   3.3    118       -
    main    warm      0.15      0.54      17.7       54.9       201       7     409        -   3.5     45       -

The window's process now spends 7-13 CPU s instead of 42-128, and both processes
together 31-39 CPU s warm (main 42-49) and 77-85 cold (main 112-128: main's aligning
thread paid for the 20 us GIL switch interval too). Settled (load 2.4-3.4) 77-88 s
cold against 95-113 s, 35-45 s warm against 43-55 s; still not at 60 s cold: the
worker is one core, most of it embedding sentences for related links, and the other
core was taken by other work here. The event loop still had 2-6 gaps over 100 ms a run
(longest 0.13-0.21 s; main 1-12, 0.11-0.28 s): not at target. Traced
(``--trace-stalls``, load 3.2-4.4) nearly all are the GUI thread runnable and waiting
for a CPU (runqueue 60-160 ms of the gap, 1-40 ms of its own CPU), which no split of
the work inside the application removes on a machine this busy; a few (up to 0.25 s)
had the GUI thread neither on a CPU nor runnable and no stack dumped (the watchdog
thread was itself waiting for a CPU): the GIL held by the thread that reads the
worker's answers while it was descheduled is the likely cause, not proven. The first
fix traced: the stop flag was a ``multiprocessing.Event``, whose lock the worker takes
at every step; the GUI thread setting or clearing it waited for a descheduled worker
(now a byte of shared memory, read without a lock). Variants measured under load 3-4.5:
the worker at niceness 5 settled slower (103-133 s cold, 57-60 s warm) with no fewer
gaps (3-9); two onnxruntime threads in the worker (104 s cold, 53 s warm, 8 and 12
gaps) did not beat one. The worker's RSS is 122 MB warm and 333 MB cold (the sentence
model loaded to embed); the window's 415-423 MB, both under 1 GB.

After merging main d11040e (settle3: the related pass embeds the sentences of the pairs
coming next in batches of 16, the copied pass's links kept until the related pass), runs
interleaved with it; "after" with the worker's one onnxruntime thread, then with two
(now the default):

    code    cache  paint s  listed s  copied s  settled s  stall ms  >100ms  RSS MB  wRSS MB  load  CPU s  wCPU s
    after   cold      0.15      2.52      21.4      103.8       167       2     416      390   3.0     13      87
    after   warm      0.17      0.88      19.9       49.7       172       4     426      172   3.1     10      37
    main    cold      0.10      1.83      19.6       97.0       117       2     459        -   2.9     99       -
    main    warm      0.13      0.61      15.3       40.9       174       1     441        -   2.7     39       -
    after   cold      0.17      2.75      19.3       91.1       252       2     416      372   1.8     14      81
    after   warm      0.13      0.50      15.2       38.3        84       0     424      172   1.5      8      33
    main    cold      0.11      1.76      14.7       62.3       101       1     473        -   1.6     87       -
    main    warm      0.09      0.61      13.9       34.7       248       2     439        -   1.4     36       -
    after2  cold      0.12      1.71      15.2       65.7       121       1     413      394   1.2     10      82
    after2  warm      0.11      0.54      14.2       37.5       104       1     424      172   1.1      8      32

With settle3's savings the thread path wastes much less CPU, and the two paths now cost
about the same (cold 92-100 CPU s in both processes against 87-99, warm 40-47 against
36-39: the worker builds the corpus's profiles again, and results are pickled). The
worker with one model thread settled cold 25-30 s later than main on a quieter
machine; with two, 65.7 s against 62.3 s. Gaps over 100 ms: 0-4 a run against 1-2,
longest 0.08-0.25 s against 0.10-0.25 s: the same, and not at target. What the worker
does give: the window's process spends 8-14 CPU s of the 41-100 and stays at 413-426 MB
(main 439-473 MB: the pending links now live in the worker, 172 MB warm, 372-394 MB
cold with the sentence model).

Shipping the corpus to the worker: the articles without their sentences pickle in 4 ms
(1.7 MB for the 1,000 articles) and the worker reads spans and stems back from the disk
cache in 40 ms; with sentences and stems it was 67 ms of the window's CPU and 4.8 MB.

The final code (main after the worker process, the related pass's batching and the
anchored related links), on a quiet machine, the two paths of one build interleaved
(``SOURCE_READER_ALIGN_PROCESS=0`` aligns in a thread of the window's process); RSS is
the window's, then the worker's; CPU s the window's, then the worker's:

    path     cache  paint s  listed s  copied s  settled s  stall ms  >100ms  RSS MB     load  CPU s
    process  cold      0.15      1.17      13.4       54.5        98       0  394 + 378   1.2   8 + 69
    process  warm      0.13      0.57      11.5       28.0       210       1  401 + 166   1.2   7 + 23
    thread   cold      0.12      1.54      12.8       56.6       102       1  456         1.4  80
    thread   warm      0.12      0.61      12.2       30.6       202       2  437         1.3  32
    process  cold      0.13      1.59      15.0       58.8       111       1  396 + 378   1.4  10 + 74
    process  warm      0.13      0.55      14.1       32.6       113       1  402 + 166   1.4   8 + 27
    thread   cold      0.07      1.50      17.0       67.1       106       1  470         1.6  93
    thread   warm      0.08      0.50      14.5       37.7       152       1  437         1.3  40

Traced (``--trace-stalls``, process path), the gaps of 85-107 ms left are the GUI
thread's own work: 87-89 ms of its CPU with no Python frame on its stack (Qt showing
and laying out the first pair) and, in the first 0.2 s, the files being read competing
with it for a CPU (35 ms in the run queue). Not at the 0.1 s target.

Embedding ahead (branch cold4): a thread of the worker embeds the story sentences of
the articles met (then, cold, each waiting pair's anchored texts) while the copied pass
compares words, and the model runs one onnxruntime thread per call (two threads embed at
once). "before": the same build with ``SOURCE_READER_EMBED_AHEAD=0
SOURCE_READER_WORKER_THREADS=2`` (the worker as it was); runs interleaved, the machine
shared with another helper's window benchmark (load 2.6-3.9), then on a quieter one
(load 1.3-1.7); the first four rows before the thread was woken every 64 pairs rather
than at each:

    code    cache  paint s  listed s  copied s  settled s  stall ms  >100ms  RSS MB  wRSS MB  load  CPU s  wCPU s
    before  cold      0.15      1.94      18.4       89.5       304       7     415      393   3.7     11      81
    before  warm      0.19      0.63      15.6       34.6       202       2     424      173   3.7      7      24
    after   cold      0.16      2.01      25.1       63.0       156       3     416      433   3.4     10      70
    after   warm      0.17      0.64      16.1       36.6       128       2     422      187   2.6      9      30
    before  cold      0.25      2.08      15.1       85.6       161       8     417      393   3.9     10      75
    before  warm      0.17      0.57      15.8       37.1       126       3     424      173   3.4      8      28
    after   cold      0.14      1.44      16.7       48.5       159       2     416      453   2.8      9      68
    after   warm      0.13      0.55      14.4       33.8        89       0     424      187   2.0      8      29
    after   cold      0.18      2.25      17.6       52.1       134       3     416      440   1.7     11      74
    after   warm      0.18      0.63      16.3       37.4       115       3     422      177   1.4     10      31
    before  cold      0.11      1.90      17.7       69.5       101       1     415      392   1.6     12      87
    before  warm      0.22      0.83      15.0       35.6       119       2     424      173   1.3      9      30
    before  cold      0.16      1.49      13.4       60.3       106       1     394      377   1.4     10      77
    before  warm      0.12      0.52      16.9       36.6       122       1     402      166   1.1     10      30
    after   cold      0.20      1.89      19.9       55.8       118       1     395      433   1.6     11      79
    after   warm      0.16      0.53      12.4       27.2       112       1     402      170   1.3      6      23

Settled cold 60.3-89.5 s -> 48.5-63.0 s; the gain is largest on a loaded machine (85.6-89.5
-> 48.5-63.0 s at load 2.8-3.9) and smallest on the quietest (60.3 -> 55.8 s at load
1.4-1.6: there the copied pass, 13.4 -> 19.9 s, shares the cores with the model, so the
related pass's 11 s saved are half spent). The worker's CPU 75-87 -> 68-79 s; warm 34-37
s -> 27-37 s. The worker holds 40-60 MB more cold (two model runs at once, the corpus's
story vectors in memory): window + worker 869 MB at most, under 1 GB. Gaps over 100 ms:
1-3 a run cold against 1-8, longest 0.12-0.16 s against 0.10-0.30 s; not at target
either way. The thread's niceness (``SOURCE_READER_EMBED_AHEAD_NICE``), one run each on a
quiet machine, 5 then 0 (the default):

    nice    cache  paint s  listed s  copied s  settled s  stall ms  >100ms  RSS MB  wRSS MB  load  CPU s  wCPU s
    5       cold      0.12      1.91      16.1       51.9       148       1     393      422   1.1     10      74
    5       warm      0.27      0.80      15.3       35.5       180       2     404      170   1.2      9      30
    0       cold      0.17      1.74      20.8       57.4       147       1     395      442   1.7     12      82
    0       warm      0.20      0.78      17.5       38.7        95       0     402      170   1.4     10      32

At 5 the copied pass keeps more of its core and settles sooner here; but headless under
a neighbour at the worker's niceness the thread at 5 starved (settle_bench cold 71.2 s
against 61.7-63.0 s at 0), so 0 stays: one run each is not enough to choose on.

Then the GUI thread's own pieces of work, timed event by event (a QApplication.notify
that profiles each call from Qt into Python with the thread's CPU clock), were cut: the
article list's batch insert (its sorting proxy asked data() 4,000 times a batch: 50-150
ms; the model sorts itself now), the progress bar's synchronous repaint of the window (20
ms inside the first pair's signal), the store's best-pair scan (up to 110 ms), the stories
regrouped whole at each refresh, a full collection of the articles being read (79 ms);
workers wait at their gate while the window repaints, and the worker's answers are
unpickled on the GUI thread (traced under load, half the gaps had the GUI thread waiting
for the GIL of a descheduled reader thread). Merged with the worker's embedding-ahead
thread, on a quiet machine, "nice 5" with ``SOURCE_READER_WORKER_NICE=5``:

    code     cache  paint s  listed s  copied s  settled s  stall ms  >100ms  RSS MB     load  CPU s
    final    cold      0.20      1.76      20.7       57.6       103       1  396 + 423   1.4  12 + 84
    final    warm      0.17      0.48      14.8       36.2        98       0  404 + 170   1.4   9 + 31
    final    cold      0.14      2.14      17.7       48.7       133       1  395 + 428   1.8  11 + 67
    final    warm      0.19      0.65      16.3       36.9       103       1  402 + 170   1.6  10 + 32
    final    cold      0.13      1.44      17.3       50.9        93       0  394 + 425   1.3  10 + 74
    final    warm      0.19      0.47      14.2       34.0       139       1  402 + 170   1.2   8 + 30
    nice 5   cold      0.12      1.58      15.8       47.0        66       0  396 + 438   1.6   9 + 69
    nice 5   warm      0.11      0.39      15.0       34.6       110       1  401 + 170   1.3   9 + 30
    nice 5   cold      0.17      1.56      15.0       50.1        89       0  396 + 434   1.5  10 + 72
    nice 5   warm      0.17      0.55      15.8       36.0       103       2  404 + 170   1.4   9 + 31
    nice 5   cold      0.12      1.70      17.6       53.2        92       0  393 + 441   1.8  11 + 78
    nice 5   warm      0.27      0.56      16.0       37.2       151       2  402 + 170   1.5   9 + 32

Then with the reading thread and the worker process started after the window's first
paint ("hold"):

    code     cache  paint s  listed s  copied s  settled s  stall ms  >100ms  RSS MB     load  CPU s
    hold     cold      0.17      1.66      17.7       57.0        81       0  394 + 421   1.7  11 + 84
    hold     warm      0.18      0.67      17.5       39.3        84       0  402 + 170   1.3  10 + 34
    hold     cold      0.14      1.80      21.5       61.6        96       0  395 + 440   1.5  13 + 88
    hold     warm      0.24      0.75      17.2       39.5       101       1  401 + 170   1.4  11 + 34

Settled under 60 s cold in eight of nine runs; still not 0.1 s every run. Traced (per event, wall and CPU),
most gaps left before the hold were the window's first paint as it appears (60-160 ms of
wall clock for 21-78 ms of CPU, while the files start being read and the worker starts);
with it, a corpus refresh and the repaint it causes in one turn of the event loop (101-110
ms: the repaint 56-65 ms of wall clock for 27-33 ms of CPU, the worker's two threads
holding the cores).

Then the held work was found to start too early: the window's first repaint requests
paint nothing until it is exposed. It now starts after the exposure, the worker process
and the reading thread each in a pass of the event loop of its own. The window no longer
loads the sentence model for a corpus the worker aligns, which had held the GIL for about
0.1 s. Runs one after the other, same code ("nice 10": ``SOURCE_READER_WORKER_NICE=10``):

    code     cache  paint s  listed s  copied s  settled s  stall ms  >100ms  RSS MB     load  CPU s
    final    cold      0.10      2.03      17.2       53.2        88       0  177 + 425   1.3  13 + 74
    final    warm      0.10      0.59      16.6       37.9        94       0  185 + 170   1.3  12 + 32
    nice 10  cold      0.15      2.18      19.3       59.1        78       0  177 + 429   1.9  15 + 84
    nice 10  warm      0.12      0.61      17.5       41.0        76       0  185 + 170   1.5  13 + 35
    final    cold      0.12      2.29      20.6       54.4        86       0  176 + 441   1.7  14 + 75
    final    warm      0.08      0.50      15.9       36.4        68       0  185 + 170   1.8  11 + 32
    nice 10  cold      0.12      1.84      17.5       57.8        74       0  177 + 444   2.3  15 + 80
    nice 10  warm      0.14      0.79      15.9       34.5        66       0  185 + 170   1.8  11 + 30

Five more runs of the final code (last commit): cold 54.8-57.6 s, warm 34.1-37.5 s, longest
gaps 63-98 ms, except one cold run with two gaps over 100 ms (longest 112 ms; untraced).
Under Xvfb (``QT_QPA_PLATFORM=xcb``), two runs: cold 51.2 and 48.9 s, warm 33.7 and 33.1
s, longest gaps 60-95 ms. The machine's speed moves: a worker doing the same work settled
cold in 39.3 s at 12:46 and in 62.5 s at 13:05, taking 57 and 88 CPU s. Run one after the
other at 13:08, f0b99a6 and this code settled in 59.8 and 58.9 s. ``--trace-stalls``
now also prints the time the hypervisor took from each CPU during a gap ("stolen"). It
was 0 in every gap traced, so the gaps are this machine's own work. The ones left
(75-98 ms) are a repaint of about 50 ms of CPU that waited 30 ms for a core the
worker's two threads held.

``--trace-stalls FILE`` writes, per run, every thread's stack at each gap over 80 ms
(faulthandler's watchdog; it reads the other threads' frames while they run, and one
traced run in five or so crashed in it), each thread's CPU and runqueue time in the
gap, and the collections over 10 ms; ``--trace-calls`` adds the calls from Qt into
Python on the GUI thread, timed (slow: a profile hook).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path


class StallTracer:
    """What each long gap of the event loop was, written to a file (``--trace-stalls``).

    Re-armed on every tick, faulthandler's watchdog (a C thread that needs no GIL) dumps
    every thread's Python stack when the GUI thread is late by ``DUMP_AFTER_S``; its
    "Current thread" is the one holding the GIL then. After each gap over that, a line
    says how long it was and, from /proc/self/task/*/schedstat, how each thread spent
    it: on a CPU, or runnable but waiting for one (the machine's load). A GUI thread
    neither running nor waiting for a CPU was asleep: waiting for the GIL (or a lock).
    With ``--trace-calls``, a profile hook on the GUI thread times each call from Qt into
    Python (a slot, a paint, a model's data()); the longest of those in the gap are
    listed with it, in wall and GUI-thread CPU ms. Garbage collections over 10 ms are logged as they end.
    The hook slows the GUI thread's Python down: the headline numbers come from runs
    without tracing.
    """

    DUMP_AFTER_S = 0.08

    def __init__(self, path: str) -> None:
        import faulthandler
        import gc
        import threading

        self._faulthandler = faulthandler
        self.file = open(path, "w")  # noqa: SIM115 - open until the run ends
        self.fd = self.file.fileno()
        self.started = time.perf_counter()
        self.main_ident = threading.main_thread().ident
        self.main_tid = threading.main_thread().native_id
        self._last_tick = self.started
        self._last_stats = self._schedstats()
        self._last_steal = self._stolen()
        self._gc_started = 0.0
        self.gc_over_10ms = 0
        gc.callbacks.append(self._gc_event)
        self._write(f"# GUI thread ident 0x{self.main_ident:x} tid {self.main_tid}\n")
        self.root = None  # the frame that runs the event loop; its callees came from Qt
        self._entered: tuple | None = None  # (code, wall, cpu) of the call from Qt running
        self._calls: list[tuple[float, float, str]] = []  # since the last tick: wall, cpu, name

    def watch_calls_from(self, frame) -> None:
        """Time the Python calls Qt makes while ``frame`` (on the GUI thread) runs its loop."""
        self.root = frame
        sys.setprofile(self._profile)

    def _profile(self, frame, event, arg) -> None:
        if frame.f_back is not self.root:
            return
        if event == "call":
            self._entered = (frame.f_code, time.perf_counter(), time.thread_time())
        elif event == "return" and self._entered and self._entered[0] is frame.f_code:
            code, wall, cpu = self._entered
            self._entered = None
            slot = frame.f_locals.get(
                "slot"
            )  # a decorated slot: the wrapper's own name says nothing
            name = getattr(slot, "__qualname__", code.co_name)
            where = f"{os.path.basename(code.co_filename)}:{code.co_firstlineno} {name}"
            self._calls.append((time.perf_counter() - wall, time.thread_time() - cpu, where))

    def _write(self, text: str) -> None:
        os.write(self.fd, text.encode())  # the same fd as faulthandler's dumps, in order

    @staticmethod
    def _schedstats() -> dict[int, tuple[int, int]]:
        """Per thread id: (ns on a CPU, ns runnable waiting for a CPU)."""
        stats = {}
        for task in os.listdir("/proc/self/task"):
            try:
                with open(f"/proc/self/task/{task}/schedstat") as f:
                    on_cpu, waiting, _slices = f.read().split()
            except OSError:
                continue
            stats[int(task)] = (int(on_cpu), int(waiting))
        return stats

    @staticmethod
    def _stolen() -> list[int]:
        """Per CPU of the machine: the time (in ticks of 10 ms) its hypervisor gave the CPU to
        others. A guest's scheduler counts stolen time neither as running nor as waiting."""
        stolen = []
        with open("/proc/stat") as f:
            for line in f:
                if line.startswith("cpu") and line[3].isdigit():
                    stolen.append(int(line.split()[8]))
        return stolen

    def _gc_event(self, phase: str, info: dict) -> None:
        import gc
        import threading

        if phase == "start":
            self._gc_started = time.perf_counter()
            self._gc_cpu = time.thread_time()
            return
        took = time.perf_counter() - self._gc_started
        if took > 0.01:
            self.gc_over_10ms += 1
            self._write(
                f"gc at {self._gc_started - self.started:.3f} s: generation {info['generation']}, "
                f"{took * 1000:.0f} ms (cpu {(time.thread_time() - self._gc_cpu) * 1000:.0f}), "
                f"{info['collected']} collected, "
                f"{gc.get_freeze_count()} frozen, "
                f"thread {threading.current_thread().name}\n"
            )

    def tick(self, now: float) -> None:
        gap = now - self._last_tick
        stats = self._schedstats()
        stolen = self._stolen()
        if gap > self.DUMP_AFTER_S:
            steal_ms = [
                10 * (after - before)
                for after, before in zip(stolen, self._last_steal, strict=False)
            ]
            parts = [f"stolen by the host per CPU {steal_ms} ms"]
            for tid, (on_cpu, waiting) in sorted(stats.items()):
                before = self._last_stats.get(tid, (0, 0))
                cpu_ms, wait_ms = (on_cpu - before[0]) / 1e6, (waiting - before[1]) / 1e6
                if cpu_ms >= 1 or wait_ms >= 1 or tid == self.main_tid:
                    name = "GUI" if tid == self.main_tid else str(tid)
                    parts.append(f"{name}: cpu {cpu_ms:.0f} ms, runqueue {wait_ms:.0f} ms")
            calls = sorted(self._calls, reverse=True)
            in_calls = sum(wall for wall, _cpu, _where in calls)
            longest = ", ".join(
                f"{where} {wall * 1000:.0f} ms (cpu {cpu * 1000:.0f})"
                for wall, cpu, where in calls[:4]
                if wall > 0.002
            )
            calls_line = (
                f"\n  {len(calls)} calls from Qt, {in_calls * 1000:.0f} ms in all; longest: {longest}"
                if self.root is not None
                else ""
            )
            self._write(
                f"STALL {gap * 1000:.0f} ms ending at {now - self.started:.3f} s "
                f"(monotonic {now:.3f}), load {os.getloadavg()[0]:.1f}; "
                + "; ".join(parts)
                + calls_line
                + "\n\n"
            )
        self._last_tick, self._last_stats, self._last_steal = now, stats, stolen
        self._calls = []
        self._faulthandler.dump_traceback_later(self.DUMP_AFTER_S, repeat=False, file=self.file)

    def close(self) -> None:
        import gc

        self._faulthandler.cancel_dump_traceback_later()
        sys.setprofile(None)
        if self._gc_event in gc.callbacks:
            gc.callbacks.remove(self._gc_event)
        self.file.close()


def run_window(folder: Path, screenshot: str | None, trace_stalls: str | None = None) -> dict:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    import resource

    from PySide6.QtCore import QEvent, QObject, Qt, QTimer
    from PySide6.QtWidgets import QApplication

    from reader.ui.main_window import MainWindow

    app = QApplication.instance() or QApplication([])
    started = time.perf_counter()
    window = MainWindow()
    window.resize(1700, 1000)
    painted: list[float] = []

    class FirstPaint(QObject):
        def eventFilter(self, obj, event):
            if event.type() == QEvent.Type.Paint and not painted:
                painted.append(time.perf_counter() - started)
            return False

    watcher = FirstPaint()
    window.installEventFilter(watcher)
    gaps = {"last": time.perf_counter(), "longest": 0.0, "over_100ms": 0}

    tracer = StallTracer(trace_stalls) if trace_stalls else None

    def tick() -> None:
        now = time.perf_counter()
        if tracer is not None:
            tracer.tick(now)
        gaps["longest"] = max(gaps["longest"], now - gaps["last"])
        gaps["over_100ms"] += now - gaps["last"] > 0.1
        gaps["last"] = now

    ticker = QTimer()
    ticker.setInterval(10)
    ticker.timeout.connect(tick)
    window.show()
    window.open_paths([folder])
    ticker.start()
    if tracer is not None and os.environ.get("WINDOW_BENCH_TRACE_CALLS"):
        tracer.watch_calls_from(sys._getframe())
    total = len([p for p in folder.iterdir() if p.suffix == ".txt"])
    listed = settled = copied = None
    deadline = started + 900
    while time.perf_counter() < deadline:
        app.processEvents()
        now = time.perf_counter() - started
        if listed is None and window.article_dock.model.rowCount() >= total:
            listed = now
        if copied is None and window.corpus is not None and window.alignments.copied_settled():
            copied = now
        if window.corpus is not None and not window.alignments.is_busy():
            settled = now
            break
        time.sleep(0.002)
    ticker.stop()
    if tracer is not None:
        tracer.close()
    for _ in range(50):
        app.processEvents()
    window._refresh_corpus_answers()
    if screenshot:
        # Room for the list's Closest column and a story's heat map beside the two articles.
        window.resizeDocks(
            [window.article_dock, window.annotations_dock], [640, 180], Qt.Orientation.Horizontal
        )
        window.resizeDocks(
            [window.article_dock, window.corpus_dock], [330, 560], Qt.Orientation.Vertical
        )
        window.corpus_dock.select_story(0)
        stories = window.corpus_dock.stories.story_count()
        app.processEvents()
        window.grab().save(screenshot)
    else:
        stories = window.corpus_dock.stories.story_count()
    pairs = len(window.alignments.store.summaries(window.threshold()))
    window.alignments.cancel()
    window.alignments.wait_for_done(10_000)
    # The worker process (and, cold, the forked sentence splitters) ended and waited for:
    # their CPU seconds and peak memory are in RUSAGE_CHILDREN.
    shutdown = getattr(window.alignments, "shutdown", None)
    if shutdown is not None:
        shutdown()
    usage = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    rss_mb = usage.ru_maxrss / 1024
    result = {
        "first_paint_s": painted[0] if painted else None,
        "listed_s": listed,
        "copied_s": copied,
        "settled_s": settled,
        "longest_stall_s": gaps["longest"],
        "stalls_over_100ms": gaps["over_100ms"],
        "peak_rss_mb": rss_mb,
        # Other processes on a shared machine stretch every wall-clock number here.
        "load_1min": os.getloadavg()[0],
        "cpu_s": usage.ru_utime + usage.ru_stime,  # all threads; what a quiet machine would wait
        # The largest child process (the worker) and all children's CPU seconds.
        "worker_rss_mb": children.ru_maxrss / 1024,
        "worker_cpu_s": children.ru_utime + children.ru_stime,
        "stories": stories,
        "pairs": pairs,
    }
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 300, 1000])
    parser.add_argument(
        "--screenshot", help="save the window on the 300-article folder (or the first size) here"
    )
    parser.add_argument(
        "--syllables",
        action="store_true",
        help="invented words, not prose: copied links only (the folders measured before prose)",
    )
    parser.add_argument(
        "--trace-stalls",
        metavar="FILE",
        help="write every thread's stack at each event-loop gap over 80 ms, how each thread "
        "spent the gap and the garbage collections over 10 ms to FILE-SIZE-cold.txt, "
        "FILE-SIZE-warm.txt",
    )
    parser.add_argument(
        "--trace-calls",
        action="store_true",
        help="with --trace-stalls, also time each call from Qt into Python on the GUI thread "
        "(a profile hook: it slows that thread's Python down)",
    )
    parser.add_argument(
        "--child", nargs=3, metavar=("FOLDER", "SCREENSHOT", "TRACE"), help=argparse.SUPPRESS
    )
    args = parser.parse_args()
    if args.child:
        print(
            json.dumps(
                run_window(Path(args.child[0]), args.child[1] or None, args.child[2] or None)
            )
        )
        return

    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    from reader.core.corpus_generator import write_corpus

    shot_size = 300 if 300 in args.sizes else args.sizes[0]
    print(
        f"{'articles':>8} {'cache':>5} {'paint s':>8} {'listed s':>9} {'copied s':>9} {'settled s':>10} "
        f"{'stall ms':>9} {'>100ms':>7} {'RSS MB':>7} {'wRSS MB':>8} {'pairs':>6} {'stories':>7} "
        f"{'load':>5} {'CPU s':>6} {'wCPU s':>7}"
    )
    with tempfile.TemporaryDirectory() as tmp:
        for size in args.sizes:
            folder = Path(tmp) / f"corpus-{size}"
            write_corpus(folder, size, seed=1, prose=not args.syllables)
            env = dict(
                os.environ,
                WINDOW_BENCH_TRACE_CALLS="1" if args.trace_calls else "",
                SOURCE_READER_CACHE=str(Path(tmp) / f"cache-{size}"),
                QT_QPA_PLATFORM="offscreen",
            )
            for cache in ("cold", "warm"):
                shot = (
                    args.screenshot
                    if (args.screenshot and size == shot_size and cache == "warm")
                    else ""
                )
                trace = f"{args.trace_stalls}-{size}-{cache}.txt" if args.trace_stalls else ""
                child = subprocess.run(
                    [
                        sys.executable,
                        "-X",
                        "faulthandler",
                        __file__,
                        "--child",
                        str(folder),
                        shot,
                        trace,
                    ],
                    env=env,
                    capture_output=True,
                    text=True,
                )
                if child.returncode:
                    sys.exit(f"the window's process failed ({child.returncode}):\n{child.stderr}")
                out = child.stdout
                r = json.loads(out.strip().splitlines()[-1])
                print(
                    f"{size:>8} {cache:>5} {r['first_paint_s']:>8.2f} {r['listed_s'] or 0:>9.2f} "
                    f"{r['copied_s'] or float('nan'):>9.1f} "
                    f"{r['settled_s'] or float('nan'):>10.1f} {r['longest_stall_s'] * 1000:>9.0f} "
                    f"{r['stalls_over_100ms']:>7} "
                    f"{r['peak_rss_mb']:>7.0f} {r['worker_rss_mb']:>8.0f} {r['pairs']:>6} "
                    f"{r['stories']:>7} {r['load_1min']:>5.1f} {r['cpu_s']:>6.0f} "
                    f"{r['worker_cpu_s']:>7.0f}",
                    flush=True,
                )


if __name__ == "__main__":
    main()
