"""Stories: syndicated copies grouped into one story; incidents of nationals held.

Stage: :func:`classifier.stories.stage.group_pending` takes classified items without a story,
one transaction per batch, and for each item

1. looks up candidates by index only: the same content hash or declared original URL
   (``items.declared_url``: exact copies, joined at once), shared MinHash LSH buckets
   (``story_lsh``), and the nearest stored embeddings among items of the time window
   (``story_index.ts``, ``stories.window``): the cost follows the new items, not the database;
2. scores candidate pairs (:mod:`.textsim`: cosine, word and character overlap, aligned
   sentences, headline overlap → a logistic match probability fitted on dev.jsonl); facts that
   disagree (nationals, places, head counts, figures in the headline or opening) veto a pair;
3. joins the best story whose mean over its best-matching half reaches ``match_threshold``,
   else the story of the same event (:mod:`.events`: any outlet, any language — the same victims'
   nationality from the facts buckets ``story_event_facts``, compatible places (:mod:`.facts`),
   counts and dates, and enough text evidence; by text alone for reports without facts), else
   opens a new story; similar stories are linked (``story_links``);
4. records incidents (:mod:`.incident_log`): (nationality, place or country) is new when no story
   reported it, or a place containing it, within ``incident_window_days``.

Read API for the alert stage and people: :mod:`.queries`. Commands: ``scamwatch import``,
``scamwatch stories`` (:mod:`.commands`).
"""
