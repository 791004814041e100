package com.pettysync.contract.cost;

import java.math.BigDecimal;
import java.util.Objects;

/**
 * List prices of the services after AWS IoT Core on the data path (USD), the inputs of {@link PipelineCostModel}
 * beside {@link PriceTable} (IoT Core itself).
 *
 * <p>{@link #US_EAST_1}, US East (N. Virginia), read on 2026-12-06:
 * <ul>
 *   <li>AWS Lambda (the validator, "Dumper #1", x86): $0.20 per million requests, $0.0000166667 per GB-second (first
 *       6 billion GB-s a month) — https://aws.amazon.com/lambda/pricing/ (also AWS's "How AWS Pricing Works"
 *       whitepaper, https://docs.aws.amazon.com/whitepapers/latest/how-aws-pricing-works/lambda.html). Free tier not
 *       applied.</li>
 *   <li>Amazon DynamoDB on-demand (the hot store): $0.625 per million write request units, $0.125 per million read
 *       request units, $0.25 per GB-month of storage (Standard table class) —
 *       https://aws.amazon.com/dynamodb/pricing/on-demand/. <b>Our reading of the page after AWS's November 2024
 *       on-demand price cut; the search tool's copies of the page did not show the numbers.</b></li>
 *   <li>Amazon S3 (the archive): S3 Standard $0.023 per GB-month (first 50 TB), PUT/COPY/POST/LIST $0.005 per 1,000,
 *       GET $0.0004 per 1,000; S3 Glacier Flexible Retrieval $0.0036 per GB-month and $0.03 per 1,000 lifecycle
 *       transition requests; an object in Glacier also keeps 40 KB of metadata (8 KB billed at Standard, 32 KB at
 *       Glacier) — https://aws.amazon.com/s3/pricing/ (storage classes, requests, "Lifecycle Transition requests
 *       into"). The Standard and Deep Archive figures match the search tool's copies; the Glacier Flexible
 *       Retrieval storage and transition prices are <b>our reading of the page</b>.</li>
 * </ul>
 *
 * @param region the region
 * @param asOf when the prices were read
 * @param lambdaPerMillionRequests USD per million invocations
 * @param lambdaPerGbSecond USD per GB-second
 * @param dynamoPerMillionWrites USD per million write request units (1 KB each)
 * @param dynamoPerMillionReads USD per million read request units (4 KB strongly / 8 KB eventually consistent)
 * @param dynamoPerGbMonth USD per GB-month stored
 * @param s3StandardPerGbMonth USD per GB-month in S3 Standard
 * @param s3PutPer1000 USD per 1,000 PUT requests
 * @param s3GetPer1000 USD per 1,000 GET requests
 * @param glacierPerGbMonth USD per GB-month in S3 Glacier Flexible Retrieval
 * @param glacierTransitionPer1000 USD per 1,000 lifecycle transitions into Glacier Flexible Retrieval
 */
public record PipelinePrices(String region, String asOf, BigDecimal lambdaPerMillionRequests,
        BigDecimal lambdaPerGbSecond, BigDecimal dynamoPerMillionWrites, BigDecimal dynamoPerMillionReads,
        BigDecimal dynamoPerGbMonth, BigDecimal s3StandardPerGbMonth, BigDecimal s3PutPer1000,
        BigDecimal s3GetPer1000, BigDecimal glacierPerGbMonth, BigDecimal glacierTransitionPer1000) {

    public static final PipelinePrices US_EAST_1 = new PipelinePrices("us-east-1", "2026-12-06",
            new BigDecimal("0.20"), new BigDecimal("0.0000166667"), new BigDecimal("0.625"), new BigDecimal("0.125"),
            new BigDecimal("0.25"), new BigDecimal("0.023"), new BigDecimal("0.005"), new BigDecimal("0.0004"),
            new BigDecimal("0.0036"), new BigDecimal("0.03"));

    public PipelinePrices {
        Objects.requireNonNull(region, "region");
        Objects.requireNonNull(asOf, "asOf");
        for (BigDecimal p : new BigDecimal[] {lambdaPerMillionRequests, lambdaPerGbSecond, dynamoPerMillionWrites,
            dynamoPerMillionReads, dynamoPerGbMonth, s3StandardPerGbMonth, s3PutPer1000, s3GetPer1000,
            glacierPerGbMonth, glacierTransitionPer1000}) {
            if (Objects.requireNonNull(p, "price").signum() < 0) {
                throw new IllegalArgumentException("prices must be ≥ 0");
            }
        }
    }
}
