"""The client's own GraphQL documents, valid against Numerai's schema as written."""

UPLOAD_FIELDS = """
fragment UploadFields on ComputePickleUpload {
  id filename validationStatus triggerStatus insertedAt dataVersion dockerImageName
  triggers { id status insertedAt statuses { status description insertedAt } }
}
"""

ACCOUNT = (
    """
query Account {
  account {
    id username
    apiTokens { name publicId scopes }
    models {
      id name tournament submissionWebhook
      computePickleUpload { ...UploadFields }
    }
  }
}
"""
    + UPLOAD_FIELDS
)

API_TOKEN_INFO = "query TokenInfo { apiTokenInfo { publicId scopes } }"

DATA_VERSIONS = "query DataVersions { computePickleDataVersions { id name default } }"

DOCKER_IMAGES = (
    "query DockerImages { computePickleDockerImages { id name image tag default } }"
)

DATASET_URL = """
query DatasetUrl($filename: String!) { dataset(filename: $filename) }
"""

REMOVE_WEBHOOK = """
mutation RemoveWebhook($modelId: String!) {
  setSubmissionWebhook(modelId: $modelId, newSubmissionWebhook: null)
}
"""

UPLOAD_STATUS = (
    """
query UploadStatus($modelId: ID) {
  model(modelId: $modelId) { id computePickleUpload { ...UploadFields } }
}
"""
    + UPLOAD_FIELDS
)

UPLOAD_AUTH = """
query UploadAuth($filename: String!, $modelId: ID) {
  computePickleUploadAuth(filename: $filename, modelId: $modelId) { filename url }
}
"""

CREATE_UPLOAD = """
mutation CreateUpload(
  $filename: String!, $tournament: Int!, $modelId: ID,
  $dataVersionId: ID, $dockerImageId: ID
) {
  createComputePickleUpload(
    filename: $filename, tournament: $tournament, modelId: $modelId,
    dataVersionId: $dataVersionId, dockerImageId: $dockerImageId
  ) { id }
}
"""
