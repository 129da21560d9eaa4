export { readRenderedAtRefs, catFiles, ReviewInputError, type RefInfo, type RenderedAtRefs, type EnvironmentTrees, type ReadOptions } from './git';
export { diffEnvironment, reviewRefs, reviewedHash, countsOf, DIFF_SCHEMA, type Review, type ReviewOptions } from './review';
export { RISK_IDS, risksOf, type RiskId } from './risks';
export { jsonReport, markdownReport, textReport, COMMENT_LIMIT, JOB_SUMMARY_LIMIT, REVIEW_MARKER, CUT_NOTICE, SUMMARY_CUT_NOTICE } from './report';
export { upsertReviewComment, GitHubError, type CommentTarget, type CommentResult } from './comment';
export { rolloutOf, rolloutLine } from './rollout';
