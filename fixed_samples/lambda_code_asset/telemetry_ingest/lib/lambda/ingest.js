exports.handler = async (event) => {
  const records = event.Records || [];
  return { statusCode: 200, body: JSON.stringify({ ingested: records.length }) };
};
