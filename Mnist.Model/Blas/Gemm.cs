namespace Mnist.Model.Blas;

/// <summary>
/// Row-major single-precision matrix product C = A·B + beta·C (A, B optionally transposed) over spans.
/// </summary>
/// <remarks>
/// OpenBLAS runs single-threaded: the engine parallelises across images itself, and OpenBLAS's own
/// thread pool would oversubscribe the cores when several engine threads call it at once.
/// </remarks>
internal static unsafe class Gemm
{
    static Gemm() => OpenBlas.SetNumThreads(1);

    /// <param name="m">Rows of op(A) and C.</param>
    /// <param name="n">Columns of op(B) and C.</param>
    /// <param name="k">Columns of op(A), rows of op(B).</param>
    public static void Multiply(
        bool transposeA, bool transposeB, int m, int n, int k,
        ReadOnlySpan<float> a, int lda, ReadOnlySpan<float> b, int ldb,
        float beta, Span<float> c, int ldc)
    {
        // A real check, not a Debug.Assert: a short span here would be a native buffer overrun.
        Check(a, transposeA ? k : m, transposeA ? m : k, lda, nameof(a));
        Check(b, transposeB ? n : k, transposeB ? k : n, ldb, nameof(b));
        Check(c, m, n, ldc, nameof(c));
        if (m == 0 || n == 0)
        {
            return;
        }

        fixed (float* pa = a)
        fixed (float* pb = b)
        fixed (float* pc = c)
        {
            OpenBlas.Sgemm(
                OpenBlas.RowMajor,
                transposeA ? OpenBlas.Trans : OpenBlas.NoTrans,
                transposeB ? OpenBlas.Trans : OpenBlas.NoTrans,
                m, n, k, 1f, pa, lda, pb, ldb, beta, pc, ldc);
        }
    }

    /// <summary>y = A·x + beta·y for a row-major m x n matrix A: no packing of A, unlike a GEMM with one column.</summary>
    public static void MultiplyVector(int m, int n, ReadOnlySpan<float> a, int lda, ReadOnlySpan<float> x, float beta, Span<float> y)
    {
        Check(a, m, n, lda, nameof(a));
        if (x.Length < n || y.Length < m)
        {
            throw new ArgumentException($"A {m}x{n} matrix needs {n} inputs and {m} outputs, got {x.Length} and {y.Length}.", nameof(x));
        }

        if (m == 0 || n == 0)
        {
            return;
        }

        fixed (float* pa = a)
        fixed (float* px = x)
        fixed (float* py = y)
        {
            OpenBlas.Sgemv(OpenBlas.RowMajor, OpenBlas.NoTrans, m, n, 1f, pa, lda, px, 1, beta, py, 1);
        }
    }

    private static void Check(ReadOnlySpan<float> span, int rows, int columns, int leading, string name)
    {
        if (leading < Math.Max(1, columns) || (rows > 0 && span.Length < ((rows - 1) * leading) + columns))
        {
            throw new ArgumentException(
                $"Matrix {name} of {rows}x{columns} with leading dimension {leading} needs more than the {span.Length} elements given.",
                name);
        }
    }
}
